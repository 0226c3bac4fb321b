"""Ports of the credentials: issuances, the AIR Kit API and the credential workflows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

from loyalty.domain.credentials import ONCHAIN, Issuance

if TYPE_CHECKING:
    # wallet_refresh speaks these ports itself.
    pass


class IssuanceStore(Protocol):
    def create(self, issuance: Issuance, recipient_email: str) -> bool:
        """Write a new issuance; False when one with this id already exists (nothing changes then)."""
        ...

    def get(self, issuance_id: str) -> Issuance | None: ...

    def with_recipient(self, issuance_id: str) -> tuple[Issuance, str]: ...

    def count_attempt(self, issuance_id: str, at: str) -> Issuance:
        """One more submission attempt, marked as possibly accepted (`maybe_accepted`) before it leaves."""
        ...

    def attempt_refused(self, issuance_id: str) -> None:
        """The last attempt was clearly not taken, and none before it was in doubt: take the mark back."""
        ...

    def move(
        self,
        issuance_id: str,
        status: str,
        at: str,
        *,
        core_claim_hash: str | None = None,
        error: str | None = None,
    ) -> Issuance: ...

    def of_pass(self, customer_id: str, offer_id: str) -> list[Issuance]:
        """Every issuance of a pass, oldest first."""
        ...


@dataclass(frozen=True)
class Accepted:
    """AIR Kit took the credential; it goes on chain later."""

    core_claim_hash: str
    user_uuid: str | None


@dataclass(frozen=True)
class AlreadyIssued:
    """Under `onDuplicate: "ignore"`: the user already holds this program's credential (kept as it is)."""

    core_claim_hash: str | None
    message: str


@dataclass(frozen=True)
class CredentialStatus:
    core_claim_hash: str
    vc_status: str
    vc_id: str | None

    @property
    def on_chain(self) -> bool:
        return self.vc_status == ONCHAIN


# What AIR Kit does when the customer already holds this program's credential: revoke it and issue anew, or keep
# it and answer AlreadyIssued (for a resubmit after a lost answer).
OnDuplicate = Literal["revoke", "ignore"]


class CredentialApiUnavailable(Exception):
    """Transient: the credential service was throttling, failing, unreachable or too slow (the adapter's own
    exception subclasses this). `maybe_accepted`: the request reached it and no clear refusal came back, so the
    credential may have been issued."""

    maybe_accepted: bool = False


class CredentialApi(Protocol):
    """AIR Kit: issue on behalf of a customer, and read an issuance's status."""

    def issue_on_behalf(
        self, email: str, subject: dict[str, object], on_duplicate: OnDuplicate = "revoke"
    ) -> Accepted | AlreadyIssued: ...

    def credential_status(self, core_claim_hash: str, email: str | None) -> CredentialStatus: ...


class WorkflowNotStarted(Exception):
    """The workflow service refused or failed the start; the record that asked for it is handed back."""

    def __init__(self, issuance_id: str, reason: str) -> None:
        super().__init__(f"workflow of {issuance_id} not started: {reason}")
        self.reason = reason


class CredentialWorkflows(Protocol):
    """Starts an issuance's workflow, named after it so that a second start of one issuance starts nothing."""

    def start(self, issuance_id: str) -> bool:
        """True when started now, False when it had been started before; WorkflowNotStarted when refused."""
        ...
