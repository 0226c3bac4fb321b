"""A stats counter item's exactly-once additions without transactions (docs/decisions/0021g).

The ledger adds a batch's counts to each counter item in ONE UpdateItem, summed in memory. What makes a delivery
handed over again harmless is a watermark per *lane* kept in the counter item itself:
- a lane is a totally ordered run of changes that the stream delivers in order and hands back from a failure
  point: the stream shard the batch came from (its records' sequence numbers give the order), or, when the batch
  does not say its shard, the pass itself (its versions give the order);
- the item's attribute `w<hash of the lane>` holds the position of the last change of that lane added to the
  item (a fixed-width base-36 string, so that strings compare as the numbers do) and when it was written;
- the update adds the counts and moves the watermark under the condition that the watermark is before the first
  change added (or absent). Refused, it reads the item's watermark from the refusal (ALL_OLD) and adds only the
  changes after it, conditioned on the watermark it read.
What an item no longer needs is removed, so that it stays small (write units are per KB):
- a lane's watermark idle for longer than a stream record can be handed over (a day), when the item holds more
  than a few. Only a write that may have made it hold more looks: one that added a lane's watermark to an item that
  was there before (the update answers the old values of what it set, `UPDATED_OLD`, a few attributes: no item's
  whole image with every write), and it reads the item;
- counts that fell to zero, once ZEROS_KEPT of them have gathered (docs/decisions/0021l): a members item counts its
  members by their last day of activity and day at risk, and each visit moves a member off one of each. The old
  values an update answers, plus what it added, say which counts it brought to zero; the writer keeps those per
  item, and the item read when a lane is new to it shows those it missed (written by another container)."""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from loyalty.adapters.dynamodb.stats import CounterItem

WATERMARK_PREFIX = "w"
# Digits of a position: a stream sequence number has at most 40 decimal digits, 26 in base 36.
POSITION_WIDTH = 26
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
# A watermark not moved for this long is removed: the stream mapping gives a record up after a day
# (MaximumRecordAgeInSeconds 86400), so nothing of its lane older than that can be handed over again.
IDLE_SECONDS = 26 * 3600
# Watermarks an item keeps before the idle ones are removed.
KEPT_LANES = 4
# Zero-valued counts an item keeps before they are removed (one update removes them all; a member's visit leaves
# up to two: the last day of activity and the day at risk it moved off).
ZEROS_KEPT = 16
# Refusals of one item's update (a lane moved by a delivery still running) before it is handed back.
MAX_TRIES = 4


def position(number: str | int) -> str:
    """A decimal position (sequence number or version) as a fixed-width base-36 string: compared as strings,
    positions compare as their numbers."""
    value = int(number)
    if value < 0:
        raise ValueError("a position is not negative")
    digits = []
    while value:
        value, digit = divmod(value, 36)
        digits.append(_DIGITS[digit])
    text = "".join(reversed(digits)) or "0"
    if len(text) > POSITION_WIDTH:
        raise ValueError("a position is at most 40 decimal digits")
    return text.rjust(POSITION_WIDTH, "0")


def lane_attribute(lane: str) -> str:
    """The item attribute of a lane's watermark: a short, stable hash of the lane (a shard id is ~60 bytes)."""
    return WATERMARK_PREFIX + hashlib.sha256(lane.encode()).hexdigest()[:8]


def _stamp(seconds: float) -> str:
    return position(int(seconds))[-6:].lstrip("0") or "0"


def _written_at(value: str) -> int:
    return int(value.partition("@")[2] or "0", 36)


@dataclass(frozen=True)
class Addition:
    """One change's counts for one counter item, at its place in its lane."""

    lane: str
    position: str  # position() of its sequence number or version
    counts: dict[str, int]


class CounterWriter:
    """Adds additions to counter items, each addition once per item however often it is handed over.
    `requests` counts the UpdateItems made; `refused` the ones refused by a watermark (a change already added);
    `reads` the GetItems of a refusal that did not carry the item."""

    def __init__(self, client: Any, table_name: str, clock: Callable[[], float] = time.time) -> None:
        self._client = client
        self._table = table_name
        self._clock = clock
        self.requests = 0
        self.refused = 0
        self.reads = 0
        self._counting = threading.Lock()  # the batch's items are written from several threads
        # Per item, the counts known to be zero in it (brought there by this writer's updates, or seen in a read).
        self._zeros: dict[CounterItem, set[str]] = {}

    def _count(self, refused: bool = False) -> None:
        with self._counting:
            self.requests += 0 if refused else 1
            self.refused += 1 if refused else 0

    def add(self, item: CounterItem, additions: Sequence[Addition]) -> bool:
        """Add what is not added yet; False when the item could not be written (then none of it was)."""
        pending = list(additions)
        seen: dict[str, str | None] | None = None  # the watermarks read after a refusal
        for _ in range(MAX_TRIES):
            if seen is not None:
                pending = [a for a in pending if _after(a, seen.get(lane_attribute(a.lane)))]
            if not pending:
                return True
            added = _summed(pending)
            request = self._request(item, pending, seen, added)
            try:
                self._count()
                answer = self._client.update_item(**request)
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                    raise
                self._count(refused=True)
                refusal: dict[str, Any] = dict(error.response)
                old = refusal.get("Item") or self._read(item)
                seen = {
                    name: _seen_value(old.get(name)) for name in {lane_attribute(a.lane) for a in pending}
                }
                continue
            self._after_write(
                item, answer.get("Attributes") or {}, {lane_attribute(a.lane) for a in pending}, added
            )
            return True
        return False

    def _after_write(
        self, item: CounterItem, old: dict[str, Any], lanes: set[str], added: Counter[str]
    ) -> None:
        """Note the counts the write brought to zero (their old value plus what it added) and those it moved off
        zero; prune when the write added a lane's watermark to an item that was there before (its old `entity`),
        the only write after which the item can hold more watermarks than before (a new item holds the write's
        lanes alone, just moved), or when enough zeros are known."""
        with self._counting:
            zeros = self._zeros.pop(item, set())
            for name, n in added.items():
                if n and _number(old.get(name)) + n == 0:
                    zeros.add(name)
                elif n:
                    zeros.discard(name)
            if zeros:  # kept only for items that hold some: a container writes many items over its life
                self._zeros[item] = zeros
            known = set(zeros)
        if "entity" in old and not lanes <= old.keys():
            self._prune(item, self._read(item))
        elif len(known) >= ZEROS_KEPT:
            self._remove(item, {}, known)

    def _request(
        self,
        item: CounterItem,
        additions: Sequence[Addition],
        seen: dict[str, str | None] | None,
        summed: Counter[str],
    ) -> dict[str, Any]:
        lanes: dict[str, tuple[str, str]] = {}  # attribute -> (first, last) position added
        for addition in additions:
            name = lane_attribute(addition.lane)
            first, last = lanes.get(name, (addition.position, addition.position))
            lanes[name] = (min(first, addition.position), max(last, addition.position))
        moved = {name: n for name, n in summed.items() if n}
        names = {f"#c{n}": name for n, name in enumerate(sorted(moved))}
        values: dict[str, Any] = {":entity": {"S": "STATS"}}
        values.update({f":v{alias[2:]}": {"N": str(moved[name])} for alias, name in names.items()})
        sets, conditions = ["entity = :entity"], []
        stamp = _stamp(self._clock())
        for n, (name, (first, last)) in enumerate(sorted(lanes.items())):
            names[f"#w{n}"] = name
            values[f":last{n}"] = {"S": f"{last}@{stamp}"}
            sets.append(f"#w{n} = :last{n}")
            if seen is None:
                values[f":first{n}"] = {"S": first}
                conditions.append(f"(attribute_not_exists(#w{n}) OR #w{n} < :first{n})")
            elif seen.get(name) is None:
                conditions.append(f"attribute_not_exists(#w{n})")
            else:
                values[f":seen{n}"] = {"S": seen[name]}
                conditions.append(f"#w{n} = :seen{n}")
        expression = "SET " + ", ".join(sets)
        if names.keys() - {f"#w{n}" for n in range(len(lanes))}:
            expression += " ADD " + ", ".join(
                f"{alias} :v{alias[2:]}" for alias in names if alias.startswith("#c")
            )
        return {
            "TableName": self._table,
            "Key": {"PK": {"S": item[0]}, "SK": {"S": item[1]}},
            "UpdateExpression": expression,
            "ConditionExpression": " AND ".join(conditions),
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
            "ReturnValues": "UPDATED_OLD",
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }

    def _read(self, item: CounterItem) -> dict[str, Any]:
        with self._counting:
            self.reads += 1
        answer = self._client.get_item(
            TableName=self._table,
            Key={"PK": {"S": item[0]}, "SK": {"S": item[1]}},
            ConsistentRead=True,
        )
        return dict(answer.get("Item") or {})

    def _prune(self, item: CounterItem, attributes: dict[str, Any]) -> None:
        """Remove, from the item as read, the watermarks idle for longer than a record can come back (when it holds
        more than KEPT_LANES) and its zero counts (when it holds ZEROS_KEPT or more)."""
        marks = {
            name: value["S"]
            for name, value in attributes.items()
            if name.startswith(WATERMARK_PREFIX) and isinstance(value, dict) and "S" in value
        }
        now = int(self._clock())
        idle = (
            {name: value for name, value in marks.items() if now - _written_at(value) > IDLE_SECONDS}
            if len(marks) > KEPT_LANES
            else {}
        )
        zeros = {name for name, value in attributes.items() if _is_zero_count(name, value)}
        with self._counting:
            self._zeros.pop(item, None)
            if zeros:
                self._zeros[item] = set(zeros)
        self._remove(item, idle, zeros if len(zeros) >= ZEROS_KEPT else set())

    def _remove(self, item: CounterItem, idle: dict[str, str], zeros: set[str]) -> None:
        """One conditional update removing the idle watermarks and the zero counts, each only if it did not move
        meanwhile (a lane that came back to life keeps its watermark, a count a change moved off zero its value)."""
        if not idle and not zeros:
            return
        removed = {
            **{name: {"S": value} for name, value in idle.items()},
            **{name: {"N": "0"} for name in zeros},
        }
        aliases = {f"#i{n}": name for n, name in enumerate(sorted(removed))}
        try:
            self._count()
            self._client.update_item(
                TableName=self._table,
                Key={"PK": {"S": item[0]}, "SK": {"S": item[1]}},
                UpdateExpression="REMOVE " + ", ".join(aliases),
                ConditionExpression=" AND ".join(f"{alias} = :i{alias[2:]}" for alias in aliases),
                ExpressionAttributeNames=aliases,
                ExpressionAttributeValues={
                    f":i{alias[2:]}": removed[name] for alias, name in aliases.items()
                },
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
            with self._counting:
                self._zeros.pop(item, None)  # moved meanwhile: known again when next read
            return
        with self._counting:
            left = self._zeros.pop(item, set()) - zeros
            if left:
                self._zeros[item] = left


def _is_zero_count(name: str, value: Any) -> bool:
    """A counter attribute (not the key, the entity or a watermark) whose value is zero."""
    if name in {"PK", "SK", "entity"} or name.startswith(WATERMARK_PREFIX):
        return False
    return isinstance(value, dict) and value.get("N") in {"0", "-0"}


def _number(value: Any) -> int:
    """A count's value as an update answered it (absent: 0)."""
    if isinstance(value, dict) and "N" in value:
        return int(value["N"])
    return 0


def _summed(additions: Sequence[Addition]) -> Counter[str]:
    """The counts of the additions, added up: what one update adds to the item."""
    summed: Counter[str] = Counter()
    for addition in additions:
        summed.update(addition.counts)
    return summed


def _seen_value(value: Any) -> str | None:
    if isinstance(value, dict) and "S" in value:
        return str(value["S"])
    return None


def _after(addition: Addition, watermark: str | None) -> bool:
    """Whether the addition is after its lane's watermark (not added yet)."""
    return watermark is None or addition.position > watermark.partition("@")[0]
