"""The principal read from authorizer claims, and role rules (an owner may do what a manager may)."""

import pytest

from loyalty.domain.errors import Forbidden, NotFound, Unauthorized
from loyalty.entrypoints.http.auth import Role, parse_groups, principal_from_claims


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(["owner"], ["owner"]), ("[owner manager]", ["owner", "manager"]), ("manager", ["manager"]), (None, [])],
)
def test_groups_in_every_shape_api_gateway_sends(raw, expected) -> None:
    assert parse_groups(raw) == expected


def test_owner_may_act_as_manager() -> None:
    owner = principal_from_claims(
        {"sub": "u", "cognito:groups": "[owner]", "custom:businessId": "biz_a1234567"}
    )
    assert owner.require(Role.MANAGER) is owner


def test_manager_may_not_act_as_owner() -> None:
    manager = principal_from_claims(
        {"sub": "u", "cognito:groups": "[manager]", "custom:businessId": "biz_a1234567"}
    )
    with pytest.raises(Forbidden):
        manager.require(Role.OWNER)


def test_no_claims_is_unauthorized() -> None:
    with pytest.raises(Unauthorized):
        principal_from_claims(None)


def test_unknown_group_is_forbidden() -> None:
    with pytest.raises(Forbidden):
        principal_from_claims({"sub": "u", "cognito:groups": "[admin]", "custom:businessId": "biz_a1234567"})


def test_another_business_learns_nothing() -> None:
    manager = principal_from_claims(
        {"sub": "u", "cognito:groups": "[manager]", "custom:businessId": "biz_a1234567"}
    )
    with pytest.raises(NotFound):
        manager.ensure_owns("biz_other1234", NotFound("Unknown pass.", code="PASS_NOT_FOUND"))
