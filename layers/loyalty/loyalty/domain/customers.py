"""Customers: one per business and email, whatever case or spacing the email was typed with."""

from __future__ import annotations


def normalize_email(email: str) -> str:
    return email.strip().lower()
