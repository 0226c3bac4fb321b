"""Key layout of the single table (see docs/ARCHITECTURE.md). Every key is built here and nowhere else."""

from __future__ import annotations

import hashlib

from loyalty.domain.customers import canonical_email
from loyalty.domain.expiry import activity_month

ACTIVITY_SHARDS = 8
ACTIVITY_INDEX = "GSI1"
BUSINESS_INDEX = "GSI2"
MEMBERS_INDEX = "GSI4"

Key = dict[str, str]


def offer_key(offer_id: str) -> Key:
    return {"PK": f"OFFER#{offer_id}", "SK": "OFFER"}


def business_offers_partition(business_id: str) -> str:
    return f"BIZ#{business_id}"


def offer_listing_sort(created_at: str, offer_id: str) -> str:
    return f"OFFER#{created_at}#{offer_id}"


def email_digest(email: str) -> str:
    return hashlib.sha256(canonical_email(email).encode()).hexdigest()


def customer_key(business_id: str, email: str) -> Key:
    return {"PK": f"CUSTOMER#{business_id}#{email_digest(email)}", "SK": "CUSTOMER"}


def pass_partition(customer_id: str, offer_id: str) -> str:
    return f"PASS#{customer_id}#{offer_id}"


def pass_key(customer_id: str, offer_id: str) -> Key:
    return {"PK": pass_partition(customer_id, offer_id), "SK": "PASS"}


def idempotency_key(scope: str, key: str) -> Key:
    return {"PK": f"IDEMPOTENCY#{scope}#{key}", "SK": "IDEMPOTENCY"}


def issuance_key(issuance_id: str) -> Key:
    return {"PK": f"ISSUANCE#{issuance_id}", "SK": "ISSUANCE"}


def activity_shard(customer_id: str, offer_id: str) -> int:
    digest = hashlib.sha256(f"{customer_id}#{offer_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % ACTIVITY_SHARDS


def activity_partition(shard: int) -> str:
    return f"ACTIVE#{shard}"


def activity_index_keys(customer_id: str, offer_id: str, last_activity_at: str) -> dict[str, str]:
    """The GSI1 attributes an ACTIVE pass carries; an expired pass has none (the index is sparse).

    The sort key is the month of the last activity (`YYYY-MM`, UTC), not the moment: a scan re-sets it to the same
    value, which writes nothing to the index, except on its pass's first scan of a month (decision 0021). It does
    not repeat the ids: an index entry carries the pass's own key (`PK`), and a sort key need not be unique in a
    GSI (68 bytes less in every pass, which keeps it under 1 KB). Entries written before held the Monday of the
    week (`YYYY-MM-DD`) or the full `lastActivityAt`, then the ids; both sort the same way against a cutoff or a
    month bound, and a scan rewrites them."""
    return {
        "GSI1PK": activity_partition(activity_shard(customer_id, offer_id)),
        "GSI1SK": activity_month(last_activity_at),
    }


def pass_issuances_partition(customer_id: str, offer_id: str) -> str:
    """GSI2 partition of a pass's credential issuances, in creation order (issued strictly in that order)."""
    return f"ISSUANCES#{customer_id}#{offer_id}"


def issuance_order_sort(created_at: str, issuance_id: str) -> str:
    return f"{created_at}#{issuance_id}"


def members_partition(offer_id: str) -> str:
    return f"MEMBERS#{offer_id}"


def members_keys(customer_id: str, offer_id: str, member_since: str) -> dict[str, str]:
    """The GSI4 attributes every pass carries: the offer's members, most recently enrolled first. The index
    projects `status` and `rewardsClaimed` (the members filters) and nothing that a stamp changes."""
    return {"GSI4PK": members_partition(offer_id), "GSI4SK": f"{member_since}#{customer_id}"}


def customer_issuances_partition(customer_id: str) -> str:
    """GSI4 partition of a customer's credential issuances across offers, newest first."""
    return f"ISSUANCES#{customer_id}"


def recovery_link_key(token_digest: str) -> Key:
    """A mailed pass-recovery link, by the SHA-256 of its token (the token itself is never stored)."""
    return {"PK": f"RECOVERY#{token_digest}", "SK": "RECOVERY"}


def throttle_key(scope: str, subject: str, window_start: int) -> Key:
    """One rate-limit counter: a scope (`enroll-address`, …), a subject digest and the window it counts."""
    return {"PK": f"THROTTLE#{scope}#{subject}#{window_start}", "SK": "THROTTLE"}


def directory_partition(offer_id: str) -> str:
    """An offer's member directory (loyalty.domain.member_search): its entries, one item each."""
    return f"DIRECTORY#{offer_id}"


def directory_sort(kind: str, position: str, customer_id: str) -> str:
    """`<kind>#<position>#<customerId>`: in order of position within a kind, one entry per pass."""
    return f"{kind}#{position}#{customer_id}"


def export_key(export_id: str) -> Key:
    """A members export's record (its business inside: another business's id answers not found)."""
    return {"PK": f"EXPORT#{export_id}", "SK": "EXPORT"}
