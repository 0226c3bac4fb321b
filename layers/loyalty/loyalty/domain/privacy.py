"""What may appear in logs: personal data is masked before it gets there."""

from __future__ import annotations


def mask_email(email: str) -> str:
    """`jane.doe@example.com` → `j***e@e***.com`: enough to recognise in support, not to harvest."""
    local, sep, domain = email.partition("@")
    if not sep:
        return "***"
    masked_local = (local[0] + "***" + local[-1]) if len(local) > 1 else "*"
    host, dot, tld = domain.rpartition(".")
    masked_domain = (host[:1] + "***" + dot + tld) if host else "***"
    return f"{masked_local}@{masked_domain}"
