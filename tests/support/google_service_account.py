"""Throwaway Google service accounts for tests (fresh RSA keys, stored where the code reads them), and the
sample offer and pass the wallet tests show."""

from __future__ import annotations

import json
from dataclasses import replace
from functools import cache
from typing import Any

from loyalty.adapters.dynamodb.dynamo import to_item
from loyalty.adapters.dynamodb.offers import offer_to_item
from loyalty.adapters.dynamodb.pass_items import pass_to_item
from loyalty.adapters.dynamodb.stream import StreamRecord
from loyalty.adapters.google.client import WalletObjectsClient
from loyalty.adapters.google.oauth import ServiceAccountTokens
from loyalty.adapters.google.passes import GoogleWalletPasses
from loyalty.adapters.google.service_account import parse_service_account
from loyalty.adapters.http import new_client
from loyalty.domain.offers import Offer
from loyalty.domain.passes import Pass, new_pass
from loyalty.domain.tiers import TierConfig
from loyalty_local.standins.google_wallet import GoogleWalletStandin, throwaway_service_account

TEST_ISSUER_ID = "3388000000012345678"


@cache
def throwaway_account() -> dict[str, str]:
    """One key for the whole session (RSA generation is the slow part); never a real account."""
    return dict(throwaway_service_account(client_email="wallet-tests@loyalty-tests.iam.gserviceaccount.com"))


def other_service_account() -> dict[str, str]:
    """A second, unrelated key: what an attacker or a misconfigured stack would sign with."""
    return dict(throwaway_service_account(client_email="someone-else@elsewhere.iam.gserviceaccount.com"))


def store_service_account(secrets_client: Any, name: str, account: dict[str, str]) -> str:
    """Put the key JSON into (moto's) Secrets Manager as an operator would; answers the secret's ARN."""
    created = secrets_client.create_secret(Name=name, SecretString=json.dumps(account))
    return str(created["ARN"])


def sample_offer(
    offer_id: str = "off_aaaaaaaaaaaaaaaaaaaaaaaaaa", loyalty_tiers: TierConfig | None = None
) -> Offer:
    return Offer(
        offer_id=offer_id,
        business_id="biz_bbbbbbbbbbbbbbbbbbbbbbbbbb",
        name="Free coffee",
        name_ar="قهوة مجانية",
        stamps_required=5,
        reward_description="A coffee of your choice",
        reward_description_ar=None,
        loyalty_tiers=loyalty_tiers,
        created_at="2026-11-01T09:00:00.000Z",
    )


def sample_pass(offer: Offer, customer_id: str = "cus_cccccccccccccccccccccccccc", **changes: Any) -> Pass:
    pass_ = new_pass(
        customer_id=customer_id,
        offer_id=offer.offer_id,
        business_id=offer.business_id,
        stamps_required=offer.stamps_required,
        email="jane.doe@example.com",
        customer_name="Jane Doe",
        preferred_language="en",
        pass_serial="serial-" + customer_id,
        auth_token="token-0123456789abcdef",
        at="2026-11-02T10:00:00.000Z",
    )
    return replace(pass_, **changes)


class StreamRecords:
    """DynamoDB stream records as Lambda hands them over (NEW_AND_OLD_IMAGES), numbered in order, read by the
    adapter the wallet-sync function reads them with."""

    def __init__(self) -> None:
        self._sequence = 1000

    def _record(
        self, event_name: str, new: dict[str, Any] | None, old: dict[str, Any] | None
    ) -> StreamRecord:
        self._sequence += 1
        dynamodb: dict[str, Any] = {
            "SequenceNumber": str(self._sequence),
            "StreamViewType": "NEW_AND_OLD_IMAGES",
        }
        if new is not None:
            dynamodb["NewImage"] = new
        if old is not None:
            dynamodb["OldImage"] = old
        return StreamRecord({"eventName": event_name, "eventSource": "aws:dynamodb", "dynamodb": dynamodb})

    def offer_created(self, offer: Offer) -> StreamRecord:
        return self._record("INSERT", to_item(offer_to_item(offer)), None)

    def offer_changed(self, before: Offer, after: Offer) -> StreamRecord:
        return self._record("MODIFY", to_item(offer_to_item(after)), to_item(offer_to_item(before)))

    def pass_created(self, pass_: Pass) -> StreamRecord:
        return self._record("INSERT", pass_to_item(pass_), None)

    def pass_changed(self, before: Pass, after: Pass) -> StreamRecord:
        return self._record("MODIFY", pass_to_item(after), pass_to_item(before))


def google_wallet_against(standin: GoogleWalletStandin, account: dict[str, str]) -> GoogleWalletPasses:
    """The production Google Wallet adapter, pointed at the stand-in instead of Google."""
    http = new_client(connect_seconds=5, read_seconds=5)
    parsed = parse_service_account(json.dumps(account))
    tokens = ServiceAccountTokens(lambda: parsed, standin.token_url, http)
    client = WalletObjectsClient(standin.api_base_url, tokens, http)
    return GoogleWalletPasses(
        client, TEST_ISSUER_ID, "Bean There Café", "https://assets.example.com/logo.png"
    )
