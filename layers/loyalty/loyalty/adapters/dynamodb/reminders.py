"""The expiry reminder over the activity index (GSI1): one week of it read per reminder setting in use, and each
pass reminded by one conditional write, with no read of the pass itself.

The index's sort key is the month of the pass's last activity (decision 0021), and a run reads the month due by
the expiry's own rule (none in most weeks, decision 0021f), on each shard: every entry it reads is a pass to
remind. The write holds only while the pass is ACTIVE, its last activity is still in that month, and it has not
been reminded for that activity: a visit since (a new quiet period, a new month in the index), an expiry, or an
overlapping run changes nothing. Like a wallet redraw, the write moves the version and removes the change note (`chg`): a reminder
is no event of the pass (no history entry, nothing counted)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from loyalty.adapters.dynamodb import keys
from loyalty.adapters.dynamodb.activity_index import idle_pass_of
from loyalty.adapters.dynamodb.dynamo import condition_failed, from_item, to_item
from loyalty.adapters.dynamodb.reminder_keys import reminder_weeks_key
from loyalty.app.ports.expiry import IdlePage, IdlePass
from loyalty.domain.passes import PassStatus
from loyalty.domain.reminders import DEFAULT_REMINDER_DAYS, ReminderWeek, reminder_weeks

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

DEFAULT_PAGE_SIZE = 100


class DynamoReminderIndex:
    shards = keys.ACTIVITY_SHARDS

    def __init__(self, client: DynamoDBClient, table_name: str, page_size: int = DEFAULT_PAGE_SIZE) -> None:
        self._client = client
        self._table = table_name
        self._page_size = page_size

    def weeks_in_use(self) -> tuple[set[int], int]:
        """The reminder settings in use, in whole weeks (the default's always), and the items read for it."""
        answer = self._client.get_item(TableName=self._table, Key=to_item(reminder_weeks_key()))
        item = from_item(answer.get("Item", {}))
        return {reminder_weeks(DEFAULT_REMINDER_DAYS), *(int(w) for w in item.get("weeks", set()))}, 1

    def week_page(
        self, shard: int, week: ReminderWeek, resume_after: Mapping[str, Any] | None = None
    ) -> IdlePage:
        """One page of the shard's entries of the month due (the index's sort key is the month of the last
        activity, decision 0021; `begins_with` also meets entries of the earlier weekly layout); nothing is read
        in a week where no month is due."""
        months = week.months
        position = int(resume_after.get("month", 0)) if resume_after else 0
        if position >= len(months):
            return IdlePage(passes=[], resume_after=None, items_read=0)
        request: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": keys.ACTIVITY_INDEX,
            "KeyConditionExpression": "GSI1PK = :shard AND begins_with(GSI1SK, :month)",
            "ExpressionAttributeValues": {
                ":shard": {"S": keys.activity_partition(shard)},
                ":month": {"S": months[position]},
            },
            "ProjectionExpression": "PK, GSI1SK",
            "Limit": self._page_size,
        }
        if resume_after and resume_after.get("key"):
            request["ExclusiveStartKey"] = dict(resume_after["key"])
        answer = self._client.query(**request)
        passes = [idle_pass_of(item["PK"]["S"], item["GSI1SK"]["S"]) for item in answer.get("Items", [])]
        last = answer.get("LastEvaluatedKey")
        following: dict[str, Any] | None = None
        if last:
            following = {"month": position, "key": last}
        elif position + 1 < len(months):
            following = {"month": position + 1}
        return IdlePage(
            passes=passes, resume_after=following, items_read=int(answer.get("ScannedCount", len(passes)))
        )

    def remind(self, idle: IdlePass, week: ReminderWeek, at: str) -> bool:
        """Remind the pass if it still stands where the index put it; False when the write's condition refused."""
        try:
            self._client.update_item(
                TableName=self._table,
                Key=to_item(keys.pass_key(idle.customer_id, idle.offer_id)),
                UpdateExpression=(
                    "SET remindedFor = lastActivityAt, updatedAt = :at, #version = #version + :one REMOVE chg"
                ),
                ConditionExpression=(
                    "#status = :active AND lastActivityAt >= :from AND lastActivityAt < :until"
                    " AND (attribute_not_exists(remindedFor) OR remindedFor <> lastActivityAt)"
                ),
                ExpressionAttributeNames={"#version": "version", "#status": "status"},
                ExpressionAttributeValues=to_item(
                    {
                        ":at": at,
                        ":one": 1,
                        ":active": PassStatus.ACTIVE.value,
                        ":from": week.first_activity,
                        ":until": week.after_last_activity,
                    }
                ),
            )
        except ClientError as error:
            if condition_failed(error):
                return False
            raise
        return True
