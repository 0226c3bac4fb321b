"""A customer reads or changes their marketing consent: from the link on their pass's back, or from a mailed
recovery link (public, throttled by the caller).

The answer names the pass's offer and the consent as it stands; a wrong token, an unknown pass and an erased one
are the same 404 LINK_NOT_FOUND, so a link cannot be probed. Changing the consent is not a visit (the pass's last
activity stays) and no event of the pass (history and stats are unchanged): it is one conditional write of the
consent and its time on the version read."""

from __future__ import annotations

from dataclasses import dataclass

from aws_lambda_powertools import Logger

from loyalty.app.ports.customers import RecoveryLinks
from loyalty.app.ports.passes import PassStore, WriteConflict
from loyalty.app.ports.preferences import PassPreferences
from loyalty.app.retries import conflict_backoff
from loyalty.domain import passes as pass_rules
from loyalty.domain.clock import Clock, to_iso
from loyalty.domain.consent import PreferencesLinkNotFound, is_preferences_token
from loyalty.domain.ids import is_id
from loyalty.domain.offers import Offer
from loyalty.domain.pass_results import ConsentShown
from loyalty.domain.passes import Pass, PassBusy, PassStatus
from loyalty.domain.recovery import token_digest

logger = Logger(child=True)

MAX_ATTEMPTS = 20


@dataclass(frozen=True)
class PassLink:
    """The pass's back: the pass's ids and its preferences token."""

    customer_id: str
    offer_id: str
    token: str


@dataclass(frozen=True)
class MailedLink:
    """A mailed recovery link's token (valid as long as the link is)."""

    recovery_token: str


def marketing_consent(
    store: PassStore,
    preferences: PassPreferences,
    links: RecoveryLinks,
    clock: Clock,
    link: PassLink | MailedLink,
    consent: bool | None,
) -> ConsentShown:
    """The consent as it stands (`consent` None), or changed to `consent` and kept with its time."""
    for attempt in range(MAX_ATTEMPTS):
        pass_, offer = _linked_pass(store, links, clock, link)
        if consent is None:
            return ConsentShown(pass_, offer)
        at = to_iso(clock())
        changed = pass_rules.set_marketing_consent(pass_, consent, at)
        try:
            preferences.save_consent(changed, pass_.version)
        except WriteConflict:
            conflict_backoff(attempt)
            continue
        logger.info("marketing consent changed", extra={"offerId": pass_.offer_id, "consent": consent})
        return ConsentShown(changed, offer)
    raise PassBusy()


def _linked_pass(
    store: PassStore, links: RecoveryLinks, clock: Clock, link: PassLink | MailedLink
) -> tuple[Pass, Offer]:
    if isinstance(link, MailedLink):
        found = links.find(token_digest(link.recovery_token))
        if found is None:
            raise PreferencesLinkNotFound()
        found.check_fresh(clock())
        address, business_id = (found.customer_id, found.offer_id), found.business_id
    else:
        if not is_id(link.customer_id, "cus") or not is_id(link.offer_id, "off"):
            raise PreferencesLinkNotFound()
        address, business_id = (link.customer_id, link.offer_id), None
    snap = store.snapshot(pass_key=address, offer_id=address[1])
    pass_, offer = snap.pass_, snap.offer
    if pass_ is None or offer is None or pass_.status is PassStatus.ERASED:
        raise PreferencesLinkNotFound()
    if business_id is not None and pass_.business_id != business_id:
        raise PreferencesLinkNotFound()
    if isinstance(link, PassLink) and not is_preferences_token(pass_, link.token):
        raise PreferencesLinkNotFound()
    return pass_, offer
