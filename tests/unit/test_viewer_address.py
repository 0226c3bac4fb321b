"""Whose address the public door counts: the viewer's as CloudFront passes it, believed only on a request that
carries our distribution's secret; the address API Gateway saw otherwise."""

from __future__ import annotations

import pytest

from loyalty.entrypoints.http.public_door import trusted_viewer_address

SECRET = "s3cr3t-value-only-cloudfront-knows"


def ours() -> str:
    return SECRET


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("203.0.113.7:46532", "203.0.113.7"),
        ("2001:db8::17:443", "2001:db8::17"),
        ("198.51.100.2:1", "198.51.100.2"),
    ],
)
def test_through_our_distribution_the_viewer_address_counts(viewer: str, expected: str) -> None:
    assert trusted_viewer_address(viewer, SECRET, ours) == expected


@pytest.mark.parametrize(
    ("viewer", "presented", "secret"),
    [
        ("203.0.113.7:1", None, SECRET),  # a viewer address a caller wrote itself
        ("203.0.113.7:1", "guess", SECRET),  # with a wrong secret
        ("203.0.113.7:1", SECRET[:-1], SECRET),
        ("203.0.113.7:1", SECRET, None),  # nothing is trusted where no secret is configured
        ("not-an-address:1", SECRET, SECRET),
        (None, SECRET, SECRET),
    ],
)
def test_anything_else_is_not_believed(viewer: str | None, presented: str | None, secret: str | None) -> None:
    assert trusted_viewer_address(viewer, presented, lambda: secret) is None
