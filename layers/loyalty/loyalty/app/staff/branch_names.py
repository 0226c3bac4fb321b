"""Where something happened, by name: answers that carry a `branchId` (stats by branch, a pass's history) also
carry that branch's `branchName` (null for a branch the business no longer has, or none at all)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol


class BranchNames(Protocol):
    def branch_names(self, business_id: str) -> dict[str, str]: ...


def name_branches(items: Iterable[dict[str, Any]], names: dict[str, str]) -> None:
    for item in items:
        branch = item.get("branchId")
        item["branchName"] = names.get(branch) if branch else None


def with_branch_names(
    answer: dict[str, Any], list_name: str, branches: BranchNames, business_id: str
) -> dict[str, Any]:
    name_branches(answer[list_name], branches.branch_names(business_id))
    return answer
