"""Members exports' records in the table: written once by the owner's request, moved on by the worker under
conditions (progress and the end only while RUNNING, rows never going back), dropped by TTL with their file."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from loyalty.adapters.dynamodb import keys
from loyalty.adapters.dynamodb.dynamo import condition_failed, from_item, to_item
from loyalty.app.ports.exports import ExportRecorded
from loyalty.domain.exports import Export, ExportStatus


class ExportStore:
    """An `ExportJobs`."""

    def __init__(self, client: Any, table_name: str) -> None:
        self.client = client
        self.table_name = table_name

    def start(self, export: Export, *, keep_until: int) -> ExportRecorded:
        item = {
            **keys.export_key(export.export_id),
            "entity": "EXPORT",
            "businessId": export.business_id,
            "offerId": export.offer_id,
            "status": export.status.value,
            "rows": export.rows,
            "createdAt": export.created_at,
            "expiresAt": keep_until,
        }
        try:
            self.client.put_item(
                TableName=self.table_name,
                Item=to_item(item),
                ConditionExpression="attribute_not_exists(PK)",
            )
        except ClientError as error:
            if not condition_failed(error):
                raise
            found = self.get(export.export_id)
            if found is None:  # dropped by TTL between the two requests: start it again
                return self.start(export, keep_until=keep_until)
            return ExportRecorded(found, new=False)
        return ExportRecorded(export, new=True)

    def get(self, export_id: str) -> Export | None:
        found = self.client.get_item(
            TableName=self.table_name, Key=to_item(keys.export_key(export_id)), ConsistentRead=True
        ).get("Item")
        if found is None:
            return None
        item = from_item(found)
        return Export(
            export_id=export_id,
            business_id=item["businessId"],
            offer_id=item["offerId"],
            status=ExportStatus(item["status"]),
            rows=int(item.get("rows", 0)),
            created_at=item["createdAt"],
            file_key=item.get("fileKey"),
        )

    def progress(self, export_id: str, rows: int) -> None:
        try:
            self.client.update_item(
                TableName=self.table_name,
                Key=to_item(keys.export_key(export_id)),
                UpdateExpression="SET #rows = :rows",
                ConditionExpression="#status = :running AND #rows < :rows",
                ExpressionAttributeNames={"#rows": "rows", "#status": "status"},
                ExpressionAttributeValues=to_item({":rows": rows, ":running": ExportStatus.RUNNING.value}),
            )
        except ClientError as error:
            if not condition_failed(error):
                raise

    def finish(self, export_id: str, *, status: ExportStatus, rows: int, file_key: str | None) -> None:
        names = {"#rows": "rows", "#status": "status"}
        values: dict[str, Any] = {
            ":status": status.value,
            ":rows": rows,
            ":running": ExportStatus.RUNNING.value,
        }
        update = "SET #status = :status, #rows = :rows"
        if file_key is not None:
            update += ", fileKey = :key"
            values[":key"] = file_key
        try:
            self.client.update_item(
                TableName=self.table_name,
                Key=to_item(keys.export_key(export_id)),
                UpdateExpression=update,
                ConditionExpression="#status = :running",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=to_item(values),
            )
        except ClientError as error:
            if not condition_failed(error):
                raise
