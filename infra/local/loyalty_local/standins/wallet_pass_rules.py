"""What Wallet on an iPhone refuses in a pass's `pass.json`, for the local stack and the tests to hold passes to.

A phone shows nothing of a pass it refuses, so every rule here refuses what Apple's pages say a pass may not be.
`problems(pass_json)` answers each refusal in words; an empty list means the phone would take the pass.
"""

from __future__ import annotations

import re
from typing import Any

# Wallet Developer Guide, "Pass Design and Creation" (Keys and dates) and the PassKit Package Format reference
# (developer.apple.com/documentation/walletpasses/pass, `expirationDate`, `relevantDate`; PassFieldContent `value`
# with `dateStyle`): dates are W3C timestamps, "complete date plus hours and minutes, or seconds", with a time
# zone. No fractional seconds: iOS answers "Unable to parse … as a date" and refuses the whole pass.
_W3C_DATE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})")

# developer.apple.com/documentation/walletpasses/pass: the keys every pass must have.
_REQUIRED = (
    "formatVersion",
    "passTypeIdentifier",
    "serialNumber",
    "teamIdentifier",
    "organizationName",
    "description",
)
_STYLES = ("boardingPass", "coupon", "eventTicket", "generic", "storeCard")
_GROUPS = ("headerFields", "primaryFields", "secondaryFields", "auxiliaryFields", "backFields")
# Wallet Developer Guide, "Pass Design and Creation", Store Cards: "up to four secondary and auxiliary fields,
# combined"; PassFields (developer.apple.com/documentation/walletpasses/passfields): at most three header fields
# and one primary field on a store card.
_STORE_CARD_FRONT = 4
_STORE_CARD_HEADERS = 3
_STORE_CARD_PRIMARY = 1
# developer.apple.com/documentation/walletpasses/pass: `authenticationToken` "must be 16 characters or longer".
_MIN_TOKEN = 16
# PassFieldContent: dateStyle/timeStyle take these values (developer.apple.com/documentation/walletpasses/passfieldcontent).
_DATE_STYLES = {
    "PKDateStyleNone",
    "PKDateStyleShort",
    "PKDateStyleMedium",
    "PKDateStyleLong",
    "PKDateStyleFull",
}


def is_w3c_date(value: Any) -> bool:
    return isinstance(value, str) and _W3C_DATE.fullmatch(value) is not None


def _field_problems(group: str, field: Any, keys: set[str]) -> list[str]:
    if not isinstance(field, dict) or "key" not in field or "value" not in field:
        return [f"{group}: a field without key and value"]
    found: list[str] = []
    key = field["key"]
    if key in keys:
        found.append(f"{group}: the key {key!r} is used twice")
    keys.add(key)
    message = field.get("changeMessage")
    if message is not None and "%@" not in message:
        found.append(f"{group}.{key}: changeMessage without %@")
    styles = [field[name] for name in ("dateStyle", "timeStyle") if name in field]
    if any(style not in _DATE_STYLES for style in styles):
        found.append(f"{group}.{key}: unknown date style")
    if styles and not is_w3c_date(field["value"]):
        found.append(f"{group}.{key}: Unable to parse {field['value']!r} as a date")
    return found


def problems(pass_json: dict[str, Any]) -> list[str]:
    """Each reason the phone would refuse this pass."""
    found = [f"missing {key}" for key in _REQUIRED if key not in pass_json]
    if pass_json.get("formatVersion") != 1:
        found.append("formatVersion must be 1")
    for key in ("expirationDate", "relevantDate"):
        if key in pass_json and not is_w3c_date(pass_json[key]):
            found.append(f"Unable to parse {pass_json[key]!r} as a date ({key})")
    if "webServiceURL" in pass_json and len(pass_json.get("authenticationToken", "")) < _MIN_TOKEN:
        found.append("authenticationToken shorter than 16 characters")
    styles = [style for style in _STYLES if style in pass_json]
    if len(styles) != 1:
        return [*found, f"exactly one pass style expected, found {styles}"]
    body = pass_json[styles[0]]
    keys: set[str] = set()
    for group in _GROUPS:
        for field in body.get(group, []):
            found += _field_problems(group, field, keys)
    if styles[0] == "storeCard":
        front = len(body.get("secondaryFields", [])) + len(body.get("auxiliaryFields", []))
        if front > _STORE_CARD_FRONT:
            found.append(f"a store card shows at most 4 secondary and auxiliary fields, this one has {front}")
        if len(body.get("headerFields", [])) > _STORE_CARD_HEADERS:
            found.append("a store card shows at most 3 header fields")
        if len(body.get("primaryFields", [])) > _STORE_CARD_PRIMARY:
            found.append("a store card shows at most 1 primary field")
    return found


def assert_wallet_accepts(pass_json: dict[str, Any]) -> None:
    refused = problems(pass_json)
    if refused:
        raise AssertionError("Wallet would refuse this pass: " + "; ".join(refused))
