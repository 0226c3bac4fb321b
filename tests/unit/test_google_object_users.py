"""The backfill's reader of Google's objects: what `hasUsers` says, and its reads spaced to the rate asked."""

from __future__ import annotations

from typing import Any, cast

import pytest

from loyalty.adapters.google.client import (
    GoogleWalletUnavailable,
    WalletObjectsClient,
    WalletResourceNotFound,
)
from loyalty.adapters.google.users import GoogleObjectUsers
from loyalty.app.ports.wallets import PassAddress

ISSUER = "3388000000012345678"


class Objects:
    """Google's objects as the client answers them: a resource, a 404, or no answer."""

    def __init__(self, answers: dict[str, Any]) -> None:
        self.answers = answers
        self.asked: list[str] = []

    def get_object(self, object_id: str) -> dict[str, Any]:
        self.asked.append(object_id)
        answer = self.answers.get(object_id)
        if answer is None:
            raise WalletResourceNotFound(f"GET {object_id}: 404", 404)
        if isinstance(answer, Exception):
            raise answer
        return cast(dict[str, Any], answer)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


def _users(objects: Objects, clock: Clock, rate: float = 4.0) -> GoogleObjectUsers:
    return GoogleObjectUsers(cast(WalletObjectsClient, objects), ISSUER, rate, clock.sleep, clock)


def test_has_users_is_what_the_object_says() -> None:
    saved, unsaved, bare = (PassAddress(f"cus_{n}", "off_1") for n in "abc")
    objects = Objects(
        {
            f"{ISSUER}.cus_a-off_1": {"hasUsers": True},
            f"{ISSUER}.cus_b-off_1": {"hasUsers": False},
            f"{ISSUER}.cus_c-off_1": {},  # Google leaves a false field out
        }
    )
    users = _users(objects, Clock())
    assert [users.has_users(a) for a in (saved, unsaved, bare)] == [True, False, False]
    assert users.has_users(PassAddress("cus_gone", "off_1")) is None
    assert objects.asked == [f"{ISSUER}.cus_{n}-off_1" for n in ("a", "b", "c", "gone")]


def test_google_not_answering_is_raised_for_the_caller_to_leave_the_pass() -> None:
    address = PassAddress("cus_a", "off_1")
    objects = Objects({f"{ISSUER}.cus_a-off_1": GoogleWalletUnavailable("GET: 503", 503)})
    with pytest.raises(GoogleWalletUnavailable):
        _users(objects, Clock()).has_users(address)


def test_reads_are_spaced_to_the_rate() -> None:
    clock = Clock()
    objects = Objects({f"{ISSUER}.cus_a-off_1": {"hasUsers": True}})
    users = _users(objects, clock, rate=4.0)
    for _ in range(3):
        users.has_users(PassAddress("cus_a", "off_1"))
    assert clock.slept == [0.25, 0.25]  # the first at once, then a quarter second apart
    clock.now += 10  # a pause of the caller's own counts toward the gap
    users.has_users(PassAddress("cus_a", "off_1"))
    assert clock.slept == [0.25, 0.25]
    assert users.reads == 4
