"""Cognito locally (moto's cognito-idp behind the stack's front), called exactly as the web apps and the functions
call Cognito: a new owner signs up, reads the mailed code at /_local/mail, confirms, signs in, and the gateway takes
the ID token; each of Cognito's refusals (wrong code, weak password, taken email, unknown user, a flow the client
does not allow) comes back as Cognito's error; a forgotten password is reset with its mailed code; a refresh gives
a new token until a global sign-out revokes it; an invitation mails a temporary password that the first sign-in
replaces."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

import boto3
import jwt
import pytest
import requests
from botocore.exceptions import ClientError

from loyalty_local.cloud.cognito import FRONT_PATH, PoolDefinition

pytestmark = pytest.mark.e2e

PASSWORD = "Correct-horse-42x"


@pytest.fixture(scope="module")
def cognito(local_stack: Any) -> Any:
    return boto3.client(
        "cognito-idp", region_name="us-east-1", endpoint_url=local_stack.base_url + FRONT_PATH.rstrip("/")
    )


@pytest.fixture(scope="module")
def client_id(local_stack: Any) -> str:
    return str(local_stack.cognito.pool.client_id)


def new_email() -> str:
    return f"owner.{uuid.uuid4().hex[:10]}@example.com"


def mailed_code(gateway: str, to: str, subject_word: str) -> str:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        messages = requests.get(f"{gateway}/_local/mail", params={"to": to}, timeout=10).json()["messages"]
        for message in messages:
            if subject_word in message["subject"].lower():
                found = re.search(r"\b(\d{6})\b", message["text"])
                assert found, message
                return found.group(1)
        time.sleep(0.2)
    raise AssertionError(f"no {subject_word} mail for {to}")


def error_code(call: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as refused:
        call(**kwargs)
    return str(refused.value.response["Error"]["Code"])


def sign_in(cognito: Any, client_id: str, email: str, password: str) -> dict[str, Any]:
    answer: dict[str, Any] = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": password},
    )
    return answer


def test_the_pool_is_the_templates(local_stack: Any) -> None:
    definition = PoolDefinition.from_template()
    pool = boto3.client("cognito-idp", region_name="us-east-1", endpoint_url=local_stack.moto.endpoint)
    described = pool.describe_user_pool(UserPoolId=local_stack.cognito.pool.pool_id)["UserPool"]
    assert described["Name"] == definition.pool["PoolName"]
    assert described["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is False
    assert {a["Name"] for a in described["SchemaAttributes"]} >= {"custom:businessId", "custom:branchId"}
    groups = pool.list_groups(UserPoolId=local_stack.cognito.pool.pool_id)["Groups"]
    assert {g["GroupName"] for g in groups} >= {"owner", "manager"}


def test_a_new_owner_signs_up_confirms_the_mailed_code_and_the_gateway_takes_the_token(
    cognito: Any, client_id: str, gateway: str, local_stack: Any
) -> None:
    email = new_email()
    signed_up = cognito.sign_up(ClientId=client_id, Username=email, Password=PASSWORD)
    assert signed_up["UserConfirmed"] is False
    assert signed_up["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    # Not confirmed yet: no sign-in.
    assert error_code(sign_in, cognito=cognito, client_id=client_id, email=email, password=PASSWORD) == (
        "UserNotConfirmedException"
    )
    code = mailed_code(gateway, email, "verification")
    wrong = "000000" if code != "000000" else "111111"
    assert (
        error_code(cognito.confirm_sign_up, ClientId=client_id, Username=email, ConfirmationCode=wrong)
        == "CodeMismatchException"
    )
    cognito.confirm_sign_up(ClientId=client_id, Username=email, ConfirmationCode=code)

    tokens = sign_in(cognito, client_id, email, PASSWORD)["AuthenticationResult"]
    claims = local_stack.user_pool.verify(tokens["IdToken"])
    assert claims["email"] == email
    # The template's client says 5 minutes; moto alone would say an hour.
    assert claims["exp"] - claims["iat"] == 300
    # Signed in, with no business yet: the API knows the person and names what is missing.
    answer = requests.get(
        f"{gateway}/api/offers", headers={"Authorization": f"Bearer {tokens['IdToken']}"}, timeout=30
    )
    assert answer.status_code == 403, answer.text


def test_cognitos_refusals_come_back_as_cognitos_errors(cognito: Any, client_id: str) -> None:
    email = new_email()
    assert (
        error_code(cognito.sign_up, ClientId=client_id, Username=email, Password="short")
        == "InvalidPasswordException"
    )
    assert (
        error_code(cognito.sign_up, ClientId=client_id, Username=email, Password="alllowercase-and-long1")
        == "InvalidPasswordException"
    )
    cognito.sign_up(ClientId=client_id, Username=email, Password=PASSWORD)
    assert (
        error_code(cognito.sign_up, ClientId=client_id, Username=email, Password=PASSWORD)
        == "UsernameExistsException"
    )
    # An unknown address is answered as a wrong password (PreventUserExistenceErrors).
    assert (
        error_code(sign_in, cognito=cognito, client_id=client_id, email=new_email(), password=PASSWORD)
        == "NotAuthorizedException"
    )
    assert (
        error_code(
            cognito.initiate_auth,
            ClientId=client_id,
            AuthFlow="CUSTOM_AUTH",
            AuthParameters={"USERNAME": email},
        )
        == "InvalidParameterException"
    )


def confirmed_user(cognito: Any, client_id: str, gateway: str) -> str:
    email = new_email()
    cognito.sign_up(ClientId=client_id, Username=email, Password=PASSWORD)
    cognito.confirm_sign_up(
        ClientId=client_id, Username=email, ConfirmationCode=mailed_code(gateway, email, "verification")
    )
    return email


def test_a_forgotten_password_is_reset_with_the_mailed_code(
    cognito: Any, client_id: str, gateway: str
) -> None:
    email = confirmed_user(cognito, client_id, gateway)
    cognito.forgot_password(ClientId=client_id, Username=email)
    code = mailed_code(gateway, email, "reset")
    assert (
        error_code(
            cognito.confirm_forgot_password,
            ClientId=client_id,
            Username=email,
            ConfirmationCode=code,
            Password="weak",
        )
        == "InvalidPasswordException"
    )
    assert (
        error_code(
            cognito.confirm_forgot_password,
            ClientId=client_id,
            Username=email,
            ConfirmationCode="999999" if code != "999999" else "888888",
            Password="Another-good-one-7",
        )
        == "CodeMismatchException"
    )
    cognito.confirm_forgot_password(
        ClientId=client_id, Username=email, ConfirmationCode=code, Password="Another-good-one-7"
    )
    assert sign_in(cognito, client_id, email, "Another-good-one-7")["AuthenticationResult"]["IdToken"]
    assert (
        error_code(sign_in, cognito=cognito, client_id=client_id, email=email, password=PASSWORD)
        == "NotAuthorizedException"
    )


def test_a_refresh_works_until_a_global_sign_out(cognito: Any, client_id: str, gateway: str) -> None:
    email = confirmed_user(cognito, client_id, gateway)
    tokens = sign_in(cognito, client_id, email, PASSWORD)["AuthenticationResult"]
    refreshed = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
    )["AuthenticationResult"]
    assert jwt.decode(refreshed["IdToken"], options={"verify_signature": False})["email"] == email
    cognito.global_sign_out(AccessToken=tokens["AccessToken"])
    assert (
        error_code(
            cognito.initiate_auth,
            ClientId=client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
        )
        == "NotAuthorizedException"
    )


def test_an_invitation_mails_a_temporary_password_that_the_first_sign_in_replaces(
    cognito: Any, client_id: str, gateway: str, local_stack: Any
) -> None:
    email = new_email()
    cognito.admin_create_user(
        UserPoolId=local_stack.cognito.pool.pool_id,
        Username=email,
        UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}],
        DesiredDeliveryMediums=["EMAIL"],
    )
    messages = requests.get(f"{gateway}/_local/mail", params={"to": email}, timeout=10).json()["messages"]
    invitation = next(m for m in messages if "invitation" in m["subject"].lower())
    temporary = re.search(r"temporary password (\S+) ", invitation["text"])
    assert temporary, invitation["text"]
    challenge = sign_in(cognito, client_id, email, temporary.group(1))
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    assert (
        error_code(
            cognito.respond_to_auth_challenge,
            ClientId=client_id,
            ChallengeName="NEW_PASSWORD_REQUIRED",
            Session=challenge["Session"],
            ChallengeResponses={"USERNAME": email, "NEW_PASSWORD": "weak"},
        )
        == "InvalidPasswordException"
    )
    done = cognito.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": email, "NEW_PASSWORD": PASSWORD},
    )
    assert done["AuthenticationResult"]["IdToken"]
