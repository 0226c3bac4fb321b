"""Secrets Manager, read one way: through Powertools Parameters, every secret kept for one cache lifetime.

A warm container must not call Secrets Manager on every JWT it signs or pass it renders, yet a rotated secret
(a new AIR Kit partner key, a renewed Pass Type ID certificate, a new Google service-account key) must take
effect without waiting for a cold start. So every secret is re-read once its max age has passed
(`POWERTOOLS_PARAMETERS_MAX_AGE`, 300 s by default), and parsed again only when its text changed: parsing a
private key costs far more than comparing two strings. See docs/decisions/0004-secrets-through-parameters.md.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from aws_lambda_powertools.utilities.parameters import SecretsProvider

T = TypeVar("T")


class SecretUnusable(Exception):
    """A secret holds no text (a binary secret): an operator's mistake, never a client's."""


class SecretSource:
    """The text of a secret by name or ARN, cached `max_age_seconds` per container."""

    def __init__(self, provider: SecretsProvider, max_age_seconds: int) -> None:
        self._provider = provider
        self._max_age = max_age_seconds

    def text(self, name: str) -> str:
        value = self._provider.get(name, max_age=self._max_age)
        if not isinstance(value, str) or not value:
            # Name the secret, never its content: this message ends up in logs.
            raise SecretUnusable(f"secret {name} has no string value")
        return value


class ParsedSecret(Generic[T]):
    """One secret as the object it describes (a keyring, a certificate, a service account): calling it answers
    the current value, parsed again only when the secret's text has changed since the last call."""

    def __init__(self, source: SecretSource, name: str, parse: Callable[[str], T]) -> None:
        self._source = source
        self._name = name
        self._parse = parse
        self._lock = threading.Lock()
        self._parsed: tuple[str, T] | None = None

    def __call__(self) -> T:
        text = self._source.text(self._name)
        with self._lock:
            if self._parsed is None or self._parsed[0] != text:
                self._parsed = (text, self._parse(text))
            return self._parsed[1]
