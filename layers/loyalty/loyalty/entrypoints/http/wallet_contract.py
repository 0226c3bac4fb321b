"""The contract's blocks of delivery you can see: a member's `wallet` and an offer's `wallets` counts
(domain/wallet_delivery.py says how each is counted)."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from loyalty.entrypoints.http.wire import ContractModel


class AppleDelivery(ContractModel):
    devices: int = Field(ge=0, description="Devices registered for the pass now")
    last_push_at: str | None = Field(description="When the pass's devices were last pushed")
    last_push_result: str | None = Field(
        description="What APNs answered: DELIVERED, UNREGISTERED (410: the pass left that wallet; its "
        "registration is dropped), `FAILED: <status reason>`, or PENDING while the push is on its way"
    )
    last_fetched_at: str | None = Field(
        description="When a device last fetched the pass from our web service"
    )
    up_to_date: bool = Field(
        description="On at least one device, and every registered device fetched the pass since its last push"
    )


class GoogleDelivery(ContractModel):
    saved: bool | None = Field(description="From Google's save/delete callbacks; null until one came")
    last_update_at: str | None = Field(description="When the object was last updated at Google")
    last_update_result: str | None = Field(description="OK, or `FAILED: <what Google answered>`")


class MemberWallet(ContractModel):
    apple: AppleDelivery
    google: GoogleDelivery


class WalletCountsAnswer(ContractModel, title="WalletCounts"):
    apple_installed: int = Field(ge=0, description="Passes on at least one Apple device")
    apple_removed: int = Field(ge=0, description="Passes once on an Apple device and now on none")
    google_saved: int = Field(ge=0, description="Passes saved in Google Wallet (their last callback)")
    google_removed: int = Field(ge=0, description="Passes removed from Google Wallet (their last callback)")
    up_to_date: int = Field(ge=0, description="Passes whose Apple devices all fetched the last update")


class GoogleSigningKey(ContractModel):
    signed_key: str = Field(description="The intermediate signing key and its expiry, as JSON")
    signatures: list[str] = Field(description="Google's root keys' signatures of signedKey")


class GoogleCallbackEnvelope(ContractModel):
    """The body Google signs (Google Wallet API, "Callbacks": the ECv2SigningOnly envelope). Its signature is
    checked over the exact bytes of signedMessage, read from the raw body, not from this model."""

    # Google may add fields to its envelope: they are not ours to refuse.
    model_config = ConfigDict(**{**ContractModel.model_config, "extra": "ignore"})

    signature: str
    intermediate_signing_key: GoogleSigningKey
    protocol_version: Literal["ECv2SigningOnly"]
    signed_message: str
