"""What a customer sets on their pass that is no event of it: one UpdateItem on the version read.

The write moves the version (so a request that read the pass before writes nothing over it: every pass write is
conditional on the version it read) and removes the pass's change note (`chg`), or the ledger would take the new
version for the last change made again (docs/decisions/0011)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from loyalty.adapters.dynamodb import keys
from loyalty.adapters.dynamodb.dynamo import condition_failed, to_item
from loyalty.app.ports.passes import WriteConflict
from loyalty.domain.passes import Pass, PassStatus


class DynamoPassPreferences:
    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def save_consent(self, pass_: Pass, expected_version: int) -> None:
        consent = (
            "SET marketingConsent = :yes, marketingConsentAt = :at"
            if pass_.marketing_consent
            else "SET marketingConsentAt = :at"
        )
        values: dict[str, Any] = {
            ":at": pass_.marketing_consent_at,
            ":updated": pass_.updated_at,
            ":version": pass_.version,
            ":expected": expected_version,
            ":erased": PassStatus.ERASED.value,
        }
        if pass_.marketing_consent:
            values[":yes"] = True
        try:
            self._client.update_item(
                TableName=self._table,
                Key=to_item(keys.pass_key(pass_.customer_id, pass_.offer_id)),
                UpdateExpression=(
                    f"{consent}, updatedAt = :updated, #version = :version REMOVE chg"
                    + ("" if pass_.marketing_consent else ", marketingConsent")
                ),
                ConditionExpression="#version = :expected AND #status <> :erased",
                ExpressionAttributeNames={"#version": "version", "#status": "status"},
                ExpressionAttributeValues=to_item(values),
            )
        except ClientError as error:
            if condition_failed(error):
                raise WriteConflict() from error
            raise
