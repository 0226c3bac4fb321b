"""Google's own description of walletobjects v1 (the discovery document shipped in google-api-python-client) as a
validator: what it refuses, the stand-in refuses, and tests check every body we send against it.

Why the discovery document: it is Google's machine-readable schema of the API (every field, its type, its enum),
so a field we misspell or mistype is caught here, not by Google on a customer's phone. The rules Google states
only in prose (reviewStatus on insert, draft classes, module ids) are `insert_problems`/`object_problems`."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

DOCUMENT = "discovery_cache/documents/walletobjects.v1.json"
# Google's descriptions: a class may be set to draft or underReview; approved/rejected are Google's to set.
SETTABLE_REVIEW_STATUSES = frozenset({"draft", "DRAFT", "underReview", "UNDER_REVIEW"})
DRAFT_REVIEW_STATUSES = frozenset({"draft", "DRAFT"})
MODULE_ID = re.compile(r"[A-Za-z0-9_-]+")
_INTEGER_STRING = re.compile(r"-?[0-9]+")


@cache
def discovery_document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        resources.files("googleapiclient").joinpath(DOCUMENT).read_text(encoding="utf-8")
    )
    return document


def _schemas() -> dict[str, Any]:
    schemas: dict[str, Any] = discovery_document()["schemas"]
    return schemas


def schema_problems(schema_name: str, value: Any) -> list[str]:
    """Every way `value` breaks the document's schema `schema_name` (unknown fields, wrong types, values outside
    an enum), as `path: what` lines; empty when it conforms."""
    problems: list[str] = []
    _check({"$ref": schema_name}, value, schema_name, problems)
    return problems


def _check(schema: dict[str, Any], value: Any, path: str, problems: list[str]) -> None:
    if "$ref" in schema:
        schema = _schemas()[schema["$ref"]]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        _check_object(schema, value, path, problems)
    elif kind == "array":
        if not isinstance(value, list):
            problems.append(f"{path}: expected an array")
            return
        for index, item in enumerate(value):
            _check(schema["items"], item, f"{path}[{index}]", problems)
    elif kind == "string":
        _check_string(schema, value, path, problems)
    elif kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(f"{path}: expected an integer")
    elif kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(f"{path}: expected a number")
    elif kind == "boolean" and not isinstance(value, bool):
        problems.append(f"{path}: expected a boolean")


def _check_object(schema: dict[str, Any], value: Any, path: str, problems: list[str]) -> None:
    if not isinstance(value, dict):
        problems.append(f"{path}: expected an object")
        return
    properties: dict[str, Any] = schema.get("properties", {})
    extra = schema.get("additionalProperties")
    for name, item in value.items():
        if name in properties:
            _check(properties[name], item, f"{path}.{name}", problems)
        elif isinstance(extra, dict):
            _check(extra, item, f"{path}.{name}", problems)
        else:
            problems.append(f"{path}.{name}: unknown field")


def _check_string(schema: dict[str, Any], value: Any, path: str, problems: list[str]) -> None:
    if schema.get("format") in ("int64", "uint64"):
        # JSON carries 64-bit integers as strings; Google also takes a plain number.
        if isinstance(value, bool) or not (
            isinstance(value, int) or (isinstance(value, str) and _INTEGER_STRING.fullmatch(value))
        ):
            problems.append(f"{path}: expected a 64-bit integer")
        return
    if not isinstance(value, str):
        problems.append(f"{path}: expected a string")
        return
    enum = schema.get("enum")
    if enum is not None and value not in enum:
        problems.append(f"{path}: {value!r} is not one of {', '.join(enum)}")


def class_problems(resource: dict[str, Any], *, patch: bool = False) -> list[str]:
    """A LoyaltyClass as inserted (or the changes of a PATCH): the schema, plus what Google's descriptions say in
    prose (reviewStatus is required, and only draft or underReview may be set)."""
    problems = schema_problems("LoyaltyClass", resource)
    status = resource.get("reviewStatus")
    if status is None:
        if not patch:
            problems.append("LoyaltyClass.reviewStatus: required")
    elif status not in SETTABLE_REVIEW_STATUSES:
        problems.append(f"LoyaltyClass.reviewStatus: {status!r} cannot be set (only draft or underReview)")
    problems.extend(_module_id_problems("LoyaltyClass", resource))
    return problems


def object_problems(resource: dict[str, Any]) -> list[str]:
    """A LoyaltyObject as inserted or patched: the schema, plus the module id rule."""
    return schema_problems("LoyaltyObject", resource) + _module_id_problems("LoyaltyObject", resource)


def _module_id_problems(schema_name: str, resource: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    for collection in ("textModulesData", "imageModulesData"):
        modules = resource.get(collection)
        for index, module in enumerate(modules if isinstance(modules, list) else []):
            module_id = module.get("id") if isinstance(module, dict) else None
            if module_id is not None and not (isinstance(module_id, str) and MODULE_ID.fullmatch(module_id)):
                problems.append(f"{schema_name}.{collection}[{index}].id: {module_id!r} is not [A-Za-z0-9_-]")
    return problems


def is_draft(resource: dict[str, Any]) -> bool:
    return resource.get("reviewStatus") in DRAFT_REVIEW_STATUSES
