"""Personal data masked: in logs always, and in answers to managers (the members list)."""

from __future__ import annotations


def mask_email(email: str) -> str:
    """`jane.doe@example.com` → `j***@e***.com` (the contract's shape): enough for a manager at the counter to
    recognise a customer, not to harvest the address."""
    local, sep, domain = email.partition("@")
    if not sep:
        return "***"
    masked_local = local[:1] + "***"
    host, dot, tld = domain.rpartition(".")
    masked_domain = (host[:1] + "***" + dot + tld) if host else "***"
    return f"{masked_local}@{masked_domain}"
