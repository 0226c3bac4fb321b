"""People's accounts in the Cognito user pool, through its admin API: an invitation (Cognito mails it, with a
temporary password the first sign-in replaces), the business, role and branch an account names (the custom
attributes and groups its ID tokens carry), and a removal (every refresh token revoked, the account deleted)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from loyalty.app.ports.staff import DirectoryUser
from loyalty.domain.errors import FieldError, ValidationFailed

ROLES = ("owner", "manager")


def _attribute(user: dict[str, Any], name: str) -> str | None:
    for attribute in user.get("UserAttributes") or user.get("Attributes") or []:
        if attribute["Name"] == name:
            return str(attribute["Value"])
    return None


class CognitoDirectory:
    def __init__(self, client: Any, user_pool_id: str) -> None:
        self._client = client
        self._pool = user_pool_id

    def _code(self, error: ClientError) -> str:
        return str(error.response.get("Error", {}).get("Code", ""))

    def invite(self, email: str, business_id: str, role: str, branch_id: str | None) -> str | None:
        attributes = [
            {"Name": "email", "Value": email},
            # The invitation is mailed to this address: reading it proves the address, as Cognito counts it.
            {"Name": "email_verified", "Value": "true"},
            {"Name": "custom:businessId", "Value": business_id},
        ]
        if branch_id:
            attributes.append({"Name": "custom:branchId", "Value": branch_id})
        try:
            answer = self._client.admin_create_user(
                UserPoolId=self._pool,
                Username=email,
                UserAttributes=attributes,
                DesiredDeliveryMediums=["EMAIL"],
            )
        except ClientError as error:
            if self._code(error) == "UsernameExistsException":
                return None
            if self._code(error) == "InvalidParameterException":
                # Cognito's own rule for a username that is an email (stricter than ours: e.g. no
                # non-ASCII local part): the inviter is told, nothing was created.
                raise ValidationFailed(
                    [FieldError("email", "is not an address the account directory accepts")]
                ) from error
            raise
        user_id = _attribute(answer["User"], "sub") or str(answer["User"]["Username"])
        self._client.admin_add_user_to_group(UserPoolId=self._pool, Username=user_id, GroupName=role)
        return user_id

    def _user(self, username: str) -> DirectoryUser | None:
        try:
            user = self._client.admin_get_user(UserPoolId=self._pool, Username=username)
        except ClientError as error:
            if self._code(error) == "UserNotFoundException":
                return None
            raise
        return DirectoryUser(
            user_id=_attribute(user, "sub") or str(user["Username"]),
            business_id=_attribute(user, "custom:businessId"),
            confirmed=user.get("UserStatus") == "CONFIRMED",
        )

    def find(self, email: str) -> DirectoryUser | None:
        return self._user(email)

    def status(self, user_id: str) -> DirectoryUser | None:
        return self._user(user_id)

    def place(self, user_id: str, business_id: str, role: str, branch_id: str | None) -> None:
        attributes = [{"Name": "custom:businessId", "Value": business_id}]
        if branch_id:
            attributes.append({"Name": "custom:branchId", "Value": branch_id})
        self._client.admin_update_user_attributes(
            UserPoolId=self._pool, Username=user_id, UserAttributes=attributes
        )
        if not branch_id:
            held = self._client.admin_get_user(UserPoolId=self._pool, Username=user_id)
            if _attribute(held, "custom:branchId") is not None:
                # An owner works at no branch: a former manager's branch goes.
                self._client.admin_delete_user_attributes(
                    UserPoolId=self._pool, Username=user_id, UserAttributeNames=["custom:branchId"]
                )
        self._client.admin_add_user_to_group(UserPoolId=self._pool, Username=user_id, GroupName=role)
        for other in ROLES:
            if other != role:
                self._client.admin_remove_user_from_group(
                    UserPoolId=self._pool, Username=user_id, GroupName=other
                )

    def remove(self, user_id: str) -> None:
        try:
            # Every refresh token revoked first: no new ID token, so the one in hand is the last (5 minutes).
            self._client.admin_user_global_sign_out(UserPoolId=self._pool, Username=user_id)
            self._client.admin_delete_user(UserPoolId=self._pool, Username=user_id)
        except ClientError as error:
            if self._code(error) != "UserNotFoundException":
                raise
