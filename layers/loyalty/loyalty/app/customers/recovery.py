"""Pass recovery: an email already enrolled in an offer gets its pass by mail, and the mailed link gives it back.

The enroll form is public, so its answer to a known email must not be the pass (anyone may type anyone's
email). `send_link` mails the address a fresh link instead; `recover` answers the link's pass exactly as a new
enrollment is answered, bringing an expired pass back to ACTIVE (stamps at 0, completions kept, one REACTIVATE
event), as re-enrolling did before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from aws_lambda_powertools import Logger

from loyalty.app.ports.customers import AddressRefused, Mailer, RecoveryLinks
from loyalty.app.ports.passes import AnswerRenderer, ChangeNote, PassChange, PassStore, WriteConflict
from loyalty.app.ports.wallets import WalletLinks, WalletsReady
from loyalty.app.retries import conflict_backoff
from loyalty.domain import passes as pass_rules
from loyalty.domain.clock import Clock, to_iso
from loyalty.domain.ids import new_secret_token
from loyalty.domain.offers import Offer
from loyalty.domain.pass_results import Enrolled
from loyalty.domain.passes import Pass, PassBusy, PassStatus
from loyalty.domain.privacy import mask_email
from loyalty.domain.recovery import (
    LinkNotFound,
    Mail,
    RecoveryLink,
    recovery_mail,
    recovery_url,
    token_digest,
)

logger = Logger(child=True)

MAX_ATTEMPTS = 20
TOKEN_BYTES = 32


@dataclass(frozen=True)
class RecoveryMail:
    """What sends a pass's recovery link. `may_mail(card, requester)` counts one mail of that pass asked from
    that client address and says whether it is still within its hourly allowance: past it the enroll answer is
    the same, only no mail leaves. Counting per asking address keeps a flood from elsewhere from spending the
    member's own allowance."""

    links: RecoveryLinks
    mailer: Mailer
    web_base_url: str
    may_mail: Callable[[Pass, str], bool]

    @classmethod
    def never_mailing(cls) -> RecoveryMail:
        """One that never mails: every mail is past its allowance. For callers that enroll only fresh emails or
        whose second enrollments' mails are not the point (benchmarks, replays), so no link store or mailer
        need be built; should one ever be asked anyway, it refuses loudly rather than pretend to have sent."""
        return cls(_NoRecovery(), _NoRecovery(), "", may_mail=lambda _pass, _requester: False)

    def send_link(self, pass_: Pass, offer: Offer, at: str, requester: str = "") -> None:
        if not self.may_mail(pass_, requester):
            logger.warning(
                "recovery mail not sent: hourly allowance used", extra={"to": mask_email(pass_.email)}
            )
            return
        token = new_secret_token(TOKEN_BYTES)
        self.links.create(
            RecoveryLink(token_digest(token), pass_.customer_id, pass_.offer_id, pass_.business_id, at)
        )
        offer_name = offer.name_ar if pass_.preferred_language == "ar" and offer.name_ar else offer.name
        url = recovery_url(self.web_base_url, token)
        try:
            self.mailer.send(
                recovery_mail(pass_.email, pass_.customer_name, offer_name, url, pass_.preferred_language)
            )
        except AddressRefused:
            # An address no mail can reach: the answer stays the one every enrolled email gets (saying otherwise
            # would tell a stranger something about the address); the operators see it.
            logger.error(
                "recovery mail not sent: the address is refused", extra={"to": mask_email(pass_.email)}
            )


class _NoRecovery:
    """The link store and mailer of a never-mailing RecoveryMail, never reached (its allowance is always used)."""

    def create(self, link: RecoveryLink) -> None:
        raise RuntimeError("a never-mailing RecoveryMail was asked to keep a recovery link")

    def find(self, token_digest: str) -> RecoveryLink | None:
        return None

    def send(self, mail: Mail) -> None:
        raise RuntimeError("a never-mailing RecoveryMail was asked to send a mail")


def recover(
    store: PassStore,
    links: RecoveryLinks,
    clock: Clock,
    token: str,
    render: AnswerRenderer,
    wallet_links: WalletLinks | None = None,
    wallets_ready: WalletsReady | None = None,
) -> Enrolled:
    """The pass a mailed link names (200, the enroll answer's shape); LinkNotFound / LinkExpired otherwise. The
    wallet objects the answer's links name exist before it leaves (`wallets_ready`), as for enroll."""
    link = links.find(token_digest(token))
    if link is None:
        raise LinkNotFound()
    link.check_fresh(clock())
    for attempt in range(MAX_ATTEMPTS):
        snap = store.snapshot(pass_key=(link.customer_id, link.offer_id), offer_id=link.offer_id)
        pass_ = snap.pass_
        if pass_ is None or snap.offer is None or pass_.business_id != link.business_id:
            raise LinkNotFound()
        if pass_.status is PassStatus.ERASED:
            raise LinkNotFound()  # the customer asked to be forgotten: a link mailed before names nobody now
        ladder = snap.offer.ladder
        if pass_.status is PassStatus.ACTIVE:
            if wallets_ready is not None:
                wallets_ready(snap.offer, pass_)
            return Enrolled(
                pass_,
                ladder.standing(pass_.rewards_claimed),
                wallet_links(pass_) if wallet_links else None,
                created=False,
            )
        at = to_iso(clock())
        revived = pass_rules.reactivate(pass_, at, snap.offer.stamps_required)
        result = Enrolled(
            revived,
            ladder.standing(revived.rewards_claimed),
            wallet_links(revived) if wallet_links else None,
            created=False,
        )
        change = PassChange(
            pass_=revived,
            expected_version=pass_.version,
            note=ChangeNote("REACTIVATE", "customer"),
            answer=render(result),
        )
        try:
            store.commit(change)
        except WriteConflict:
            conflict_backoff(attempt)
            continue
        if wallets_ready is not None:
            wallets_ready(snap.offer, revived)
        return result
    raise PassBusy()
