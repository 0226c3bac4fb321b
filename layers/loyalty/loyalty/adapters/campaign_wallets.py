"""A campaign's message reaching a recipient's wallets: Apple through a push (the device then downloads the pass,
whose back field now holds the message with a `changeMessage`), Google through a message of type TEXT_AND_NOTIFY
added to the pass's object (developers.google.com/wallet/generic/use-cases/trigger-push-notifications)."""

from __future__ import annotations

from loyalty.adapters.apple.push import ApplePassNotifier
from loyalty.adapters.google.client import WalletObjectsClient
from loyalty.adapters.google.objects import TEXT_AND_NOTIFY, object_id
from loyalty.domain.campaigns import Campaign
from loyalty.domain.passes import Pass

_HEADER = {"en": "News", "ar": "الأخبار"}


class AppleGoogleCampaignWallets:
    def __init__(
        self, apple: ApplePassNotifier | None, google: WalletObjectsClient | None, issuer_id: str = ""
    ) -> None:
        self._apple = apple
        self._google = google
        self._issuer_id = issuer_id

    def apple(self, pass_: Pass) -> int:
        if self._apple is None:
            return 0
        return self._apple.notify(pass_.customer_id, pass_.offer_id).delivered

    def google(self, customer_id: str, campaign: Campaign, language: str) -> None:
        if self._google is None:
            return
        self._google.add_object_message(
            object_id(self._issuer_id, customer_id, campaign.offer_id),
            {
                "message": {
                    # One id a campaign: a repeated send is the same message, not a second one.
                    "id": f"campaign-{campaign.campaign_id}",
                    "header": _HEADER.get(language, _HEADER["en"]),
                    "body": campaign.message_in(language),
                    "messageType": TEXT_AND_NOTIFY,
                }
            },
        )
