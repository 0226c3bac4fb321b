"""The Apple certificates' days left reach the metric the template's alarms watch, well before they run out."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from loyalty.adapters.apple.credentials import certificate_lives, parse_pass_signing
from loyalty.app.wallets.certificate_expiry import METRIC, CertificateLife, report_certificate_lives
from loyalty_local.cloud.template import load_template
from loyalty_local.standins.apple_wallet import make_chain

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def _published(output: str) -> dict[str, float]:
    found = {}
    for line in output.splitlines():
        if METRIC in line:
            record = json.loads(line)
            value = record[METRIC]
            found[record["Certificate"]] = value[0] if isinstance(value, list) else value
    return found


def test_the_secrets_certificates_report_their_days_left(capsys: pytest.CaptureFixture[str]) -> None:
    chain = make_chain()
    lives = [
        CertificateLife(n, t) for n, t in certificate_lives(parse_pass_signing(chain.certificate_secret()))
    ]
    now = datetime.now(UTC)
    days = report_certificate_lives(lambda: lives, now)
    assert set(days) == {"pass-type-id", "wwdr"}
    assert 820 <= days["pass-type-id"] <= 825  # the local chain's certificates live 825 days
    assert _published(capsys.readouterr().out) == {name: float(d) for name, d in days.items()}


def test_a_certificate_near_its_end_is_below_every_alarms_threshold(
    capsys: pytest.CaptureFixture[str],
) -> None:
    ending = [
        CertificateLife("pass-type-id", NOW + timedelta(days=29, hours=23)),
        CertificateLife("wwdr", NOW),
    ]
    assert report_certificate_lives(lambda: ending, NOW) == {"pass-type-id": 29, "wwdr": 0}
    resources = load_template()["Resources"]
    alarms = {
        dimension["Value"]: spec["Properties"]
        for spec in resources.values()
        if spec["Type"] == "AWS::CloudWatch::Alarm" and spec["Properties"].get("MetricName") == METRIC
        for dimension in spec["Properties"]["Dimensions"]
        if dimension["Name"] == "Certificate"
    }
    assert set(alarms) == {"pass-type-id", "wwdr"}
    for name, days in _published(capsys.readouterr().out).items():
        alarm = alarms[name]
        assert alarm["ComparisonOperator"] == "LessThanThreshold" and days < alarm["Threshold"] == 30
        assert alarm["TreatMissingData"] == {"Fn::If": ["AppleWalletOn", "breaching", "notBreaching"]}
