"""The one idiom for "DynamoDB refused the write because a condition did not hold", and what it leaves alone."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from loyalty.adapters.dynamodb.dynamo import condition_failed


def refusal(code: str, *reasons: str) -> ClientError:
    response: dict[str, Any] = {"Error": {"Code": code, "Message": "refused"}}
    if reasons:
        response["CancellationReasons"] = [{"Code": reason} for reason in reasons]
    return ClientError(response, "TransactWriteItems")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("error", "refused", "refused_or_conflict"),
    [
        (refusal("ConditionalCheckFailedException"), True, True),
        (refusal("TransactionCanceledException", "None", "ConditionalCheckFailed"), True, True),
        (refusal("TransactionCanceledException", "TransactionConflict", "None"), False, True),
        (refusal("TransactionConflictException"), False, True),
        # Real failures: they must propagate, never read as "someone else changed it".
        (refusal("TransactionCanceledException", "ThrottlingError", "None"), False, False),
        (refusal("TransactionCanceledException", "ValidationError"), False, False),
        (refusal("ProvisionedThroughputExceededException"), False, False),
        (refusal("ValidationException"), False, False),
    ],
)
def test_a_refused_condition_is_told_from_a_real_failure(
    error: ClientError, refused: bool, refused_or_conflict: bool
) -> None:
    assert condition_failed(error) is refused
    assert condition_failed(error, or_conflict=True) is refused_or_conflict
