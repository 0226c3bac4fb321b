"""Daily (EventBridge Scheduler): the days the Apple certificates have left, as a metric an alarm watches."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from loyalty import bootstrap
from loyalty.app.metrics import metrics
from loyalty.app.wallets.apple_web_service import AppleWalletOff
from loyalty.app.wallets.certificate_expiry import report_certificate_lives
from loyalty.domain.clock import utc_now

logger = Logger()


@metrics.log_metrics
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        days = report_certificate_lives(bootstrap.apple_certificate_lives, utc_now())
    except AppleWalletOff:
        logger.info("Apple Wallet is off here: no certificate to watch")
        return {"daysLeft": {}}
    logger.info("certificate days left", extra={"daysLeft": days})
    return {"daysLeft": days}
