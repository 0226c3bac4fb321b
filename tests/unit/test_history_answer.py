"""A pass's history as the route answers it: each event with the contract's fields and its branch's name (null for
a branch the business no longer has, and for an event at no branch)."""

from __future__ import annotations

from loyalty.domain.pass_results import HistoryEvent, HistoryPage
from loyalty.entrypoints.http.render import history_answer


def event(event_id: str, branch_id: str | None) -> HistoryEvent:
    return HistoryEvent(event_id, "STAMP", "2026-03-01T09:00:00.000Z", "manager-1", branch_id, None, 2, 0, 2)


def test_each_event_names_its_branch_or_null() -> None:
    page = HistoryPage([event("e3", "olaya"), event("e2", "gone"), event("e1", None)], "next")

    answer = history_answer(page, {"olaya": "Olaya", "malqa": "Malqa"})

    assert [item["branchName"] for item in answer["items"]] == ["Olaya", None, None]
    assert answer["nextCursor"] == "next"
    assert answer["items"][0] == {
        "eventId": "e3",
        "kind": "STAMP",
        "at": "2026-03-01T09:00:00.000Z",
        "actor": "manager-1",
        "branchId": "olaya",
        "reason": None,
        "currentStamps": 2,
        "rewardsClaimed": 0,
        "lifetimeStamps": 2,
        "branchName": "Olaya",
    }
