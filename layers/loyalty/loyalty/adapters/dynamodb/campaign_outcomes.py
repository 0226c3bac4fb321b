"""What became of a campaign after it reached its recipients: the Apple devices that fetched its pass (`fetched`)
and the recipients it won back (`wonBack`), each counted on the campaign item in the same transaction as a
conditional mark, so a retried request or a stream record handed over twice counts nothing twice.

- `fetched`: the pass's delivery record (`PASS#…` / `DELIVERY`) keeps which campaign its fetches are counted for
  (`cmpId`) and how many (`cmpFetches`); a fetch counts while the count is below the devices registered and the
  pass was pushed at or after the campaign reached it. The web service's fetch names no device, so "once per
  device" is counted, not traced (as `upToDate` is: domain/wallet_delivery.py).
- `wonBack`: a marker `PASS#…` / `WONBACK#<campaignId>` put only if absent (left to TTL after the 14 days)."""

from __future__ import annotations

import time
from typing import Any

from botocore.exceptions import ClientError

from loyalty.adapters.dynamodb import keys
from loyalty.adapters.dynamodb.campaigns import campaign_key
from loyalty.adapters.dynamodb.dynamo import condition_failed, to_item
from loyalty.adapters.dynamodb.wallet_delivery import delivery_key
from loyalty.app.ports.wallets import PassAddress

# The marker outlives the 14 days in which a visit can win a recipient back.
_MARKER_DAYS = 30


class CampaignOutcomeStore:
    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def _count(self, first: dict[str, Any], offer_id: str, campaign_id: str, name: str) -> bool:
        try:
            self._client.transact_write_items(
                TransactItems=[
                    first,
                    {
                        "Update": {
                            "TableName": self._table,
                            "Key": to_item(campaign_key(offer_id, campaign_id)),
                            "UpdateExpression": "ADD #count :one",
                            "ConditionExpression": "attribute_exists(PK)",
                            "ExpressionAttributeNames": {"#count": name},
                            "ExpressionAttributeValues": to_item({":one": 1}),
                        }
                    },
                ]
            )
        except ClientError as error:
            if condition_failed(error):
                return False
            raise
        return True

    def fetched(self, address: PassAddress, campaign_id: str, reached_at: str) -> bool:
        """Count one Apple device's fetch of the pass for the campaign that last reached it; False when every
        registered device has been counted, or the pass was not pushed since the campaign reached it."""
        values = {":cid": campaign_id, ":one": 1, ":zero": 0, ":reached": reached_at}
        same = {
            "Update": {
                "TableName": self._table,
                "Key": to_item(delivery_key(address)),
                "UpdateExpression": "ADD cmpFetches :one",
                "ConditionExpression": "cmpId = :cid AND cmpFetches < appleDevices AND lastPushAt >= :reached",
                "ExpressionAttributeValues": to_item({k: values[k] for k in (":cid", ":one", ":reached")}),
            }
        }
        if self._count(same, address.offer_id, campaign_id, "fetched"):
            return True
        first = {
            "Update": {
                "TableName": self._table,
                "Key": to_item(delivery_key(address)),
                "UpdateExpression": "SET cmpId = :cid, cmpFetches = :one",
                "ConditionExpression": (
                    "(attribute_not_exists(cmpId) OR cmpId <> :cid) AND appleDevices > :zero"
                    " AND lastPushAt >= :reached"
                ),
                "ExpressionAttributeValues": to_item(values),
            }
        }
        return self._count(first, address.offer_id, campaign_id, "fetched")

    def won_back(self, address: PassAddress, campaign_id: str, at: str) -> bool:
        """Count the recipient won back by the campaign, once; False when they were counted already."""
        marker = {
            "Put": {
                "TableName": self._table,
                "Item": to_item(
                    {
                        "PK": keys.pass_partition(address.customer_id, address.offer_id),
                        "SK": f"WONBACK#{campaign_id}",
                        "entity": "CAMPAIGN_WON_BACK",
                        "visitedAt": at,
                        "expiresAt": int(time.time()) + _MARKER_DAYS * 86400,
                    }
                ),
                "ConditionExpression": "attribute_not_exists(PK)",
            }
        }
        return self._count(marker, address.offer_id, campaign_id, "wonBack")
