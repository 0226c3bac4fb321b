"""The business events operations watch, as CloudWatch metrics (Powertools Metrics: embedded metric format in
the function's log, so counting costs no API call and no latency).

Counted where the event becomes true, not where it is asked for: a stamp when its write commits (a replayed
scan counts nothing), a wallet update when Google or Apple took it, a credential outcome when it is recorded.
Every handler flushes with `metrics.log_metrics` (HTTP handlers through `lambda_entry`). The namespace and the
`service` dimension are fixed here, not read from the environment: this one instance is made when the module is
first imported, which in a shared process (the local stack, tests) may be before any function's environment
exists, and the dashboard and alarms in template.yaml name these same values."""

from __future__ import annotations

import warnings
from enum import StrEnum

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit


class BusinessEvent(StrEnum):
    ENROLLMENT = "Enrollments"
    STAMP = "StampsAwarded"
    STAMP_VOIDED = "StampsVoided"
    PRIZE = "PrizesClaimed"
    TIER_UPGRADE = "TierUpgrades"
    WALLET_UPDATE = "WalletUpdates"
    WALLET_UPDATE_FAILURE = "WalletUpdateFailures"
    DEAD_PUSH_TOKEN = "DeadPushTokens"
    CREDENTIAL_ONCHAIN = "CredentialsOnChain"
    CREDENTIAL_FAILED = "CredentialsFailed"
    CREDENTIAL_TIMED_OUT = "CredentialsTimedOut"
    PASS_EXPIRED = "PassesExpired"
    # A pass's own Google notification held on the campaign queue until its 3-a-day window frees.
    GOOGLE_NOTICE_DEFERRED = "GoogleNoticesDeferred"


NAMESPACE = "Loyalty"
SERVICE = "loyalty"

metrics = Metrics(namespace=NAMESPACE, service=SERVICE)
# Most requests count nothing (a status read, a refusal): that is normal here, not worth a warning each time.
warnings.filterwarnings("ignore", message="No application metrics to publish", category=UserWarning)


def count(event: BusinessEvent, value: int = 1) -> None:
    """A zero is recorded too: an expiry run that expired nothing still shows that it ran."""
    metrics.add_metric(name=event.value, unit=MetricUnit.Count, value=value)
