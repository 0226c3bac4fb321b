"""How long the Apple certificates have left: the Pass Type ID certificate signs every pass (and, with Apple's
certificate-based APNs, authenticates every push), and Apple's WWDR intermediate is sent with it. Once either has
expired, every pass signed is refused by the phones; Apple issues a Pass Type ID certificate for a year. A daily
run publishes the days left of each as a metric (`CertificateDaysLeft`, dimension `Certificate`); the alarm in
template.yaml fires well before the end (30 days), and also when the run stops reporting."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from aws_lambda_powertools.metrics import MetricUnit, single_metric

from loyalty.app.metrics import NAMESPACE, SERVICE

METRIC = "CertificateDaysLeft"
DIMENSION = "Certificate"
SECONDS_PER_DAY = 86_400


@dataclass(frozen=True)
class CertificateLife:
    name: str  # "pass-type-id", "wwdr"
    not_after: datetime


def days_left(life: CertificateLife, now: datetime) -> int:
    """Whole days left (rounded down; negative once expired)."""
    return int((life.not_after - now).total_seconds() // SECONDS_PER_DAY)


def report_certificate_lives(lives: Callable[[], list[CertificateLife]], now: datetime) -> dict[str, int]:
    """Publish each certificate's days left; answer them by name."""
    found = {life.name: days_left(life, now) for life in lives()}
    for name, days in found.items():
        with single_metric(
            name=METRIC,
            unit=MetricUnit.Count,
            value=days,
            namespace=NAMESPACE,
            default_dimensions={"service": SERVICE},
        ) as metric:
            metric.add_dimension(name=DIMENSION, value=name)
    return found
