"""Operations can see and hear the stage: every alarm notifies the operations topic, every dead-letter queue has
an alarm, the dashboard shows every business metric, and every function flushes Powertools Metrics."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from loyalty.app.metrics import BusinessEvent
from loyalty_local.cloud.template import REPO_ROOT, functions, load_template


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return load_template()


def _of_type(template: dict[str, Any], kind: str) -> dict[str, Any]:
    return {name: r for name, r in template["Resources"].items() if r["Type"] == kind}


def _dead_letter_queues(template: dict[str, Any]) -> set[str]:
    """Queues named as a failure destination, a redrive target or a dead-letter config anywhere."""
    found: set[str] = set()

    def walk(node: Any, key: str = "") -> None:
        if isinstance(node, dict):
            if key in ("Destination", "deadLetterTargetArn", "Arn") and "Fn::GetAtt" in node:
                target, attribute = node["Fn::GetAtt"]
                if attribute == "Arn" and template["Resources"][target]["Type"] == "AWS::SQS::Queue":
                    found.add(target)
            for child_key, child in node.items():
                walk(child, child_key)
        elif isinstance(node, list):
            for child in node:
                walk(child, key)

    for resource in template["Resources"].values():
        properties = resource.get("Properties", {})
        walk({k: v for k, v in properties.items() if k != "Policies"})
    return found


def test_every_alarm_notifies_the_operations_topic(template: dict[str, Any]) -> None:
    alarms = _of_type(template, "AWS::CloudWatch::Alarm")
    assert alarms
    for name, alarm in alarms.items():
        assert {"Ref": "OperationsTopic"} in alarm["Properties"]["AlarmActions"], name
    subscription = template["Resources"]["OperationsEmailSubscription"]
    assert subscription["Condition"] == "HasAlarmEmail"
    assert subscription["Properties"]["Endpoint"] == {"Ref": "AlarmEmail"}


def test_every_dead_letter_queue_has_an_alarm(template: dict[str, Any]) -> None:
    queues = _dead_letter_queues(template)
    assert queues >= {"WalletSyncFailures", "WalletRefreshFailures", "ExpirePassesDeadLetterQueue"}
    watched = {
        dimension["Value"]["Fn::GetAtt"][0]
        for alarm in _of_type(template, "AWS::CloudWatch::Alarm").values()
        for dimension in alarm["Properties"].get("Dimensions", [])
        if dimension["Name"] == "QueueName"
    }
    assert queues <= watched


def test_the_dashboard_shows_every_business_metric(template: dict[str, Any]) -> None:
    (dashboard,) = _of_type(template, "AWS::CloudWatch::Dashboard").values()
    body, _ = dashboard["Properties"]["DashboardBody"]["Fn::Sub"]
    widgets = json.loads(body)["widgets"]
    shown = {
        metric[1]
        for widget in widgets
        for metric in widget["properties"].get("metrics", [])
        if metric[0] == "Loyalty"
    }
    assert shown == {event.value for event in BusinessEvent}
    (alarms,) = [w["properties"]["alarms"] for w in widgets if w["type"] == "alarm"]
    assert len(alarms) == len(_of_type(template, "AWS::CloudWatch::Alarm"))


@pytest.mark.parametrize("name", sorted(functions()))
def test_every_function_flushes_its_metrics(name: str) -> None:
    source = (REPO_ROOT / Path(functions()[name].module_path)).read_text()
    # HTTP handlers flush through lambda_entry; the others carry the decorator themselves.
    assert "lambda_entry(app" in source or "@metrics.log_metrics" in source
