"""Amazon Cognito, locally: moto's cognito-idp (server mode) holds the user pool, app client and groups that
template.yaml defines, created from the template's own properties (as the table is), and a front at
`/_local/cognito-idp/` on the gateway's origin takes Cognito's API calls (the web apps' and the functions') and
passes them to moto, doing itself what moto leaves out, as strictly as Cognito does it:

- moto checks no code in ConfirmSignUp and has no ResendConfirmationCode: the front mails a code at SignUp (the
  template's VerificationMessageTemplate, through SES, so it is listed at `/_local/mail`), and refuses a wrong or
  expired one before moto confirms;
- moto's ForgotPassword hands its code back in a response header instead of mailing it, and ConfirmForgotPassword
  checks neither that code nor the password policy: the front mails its own code and checks both;
- moto's AdminCreateUser neither makes a temporary password nor mails the invitation: the front does both (the
  template's InviteMessageTemplate);
- moto lets any auth flow through whatever the client allows, and does not verify SRP proofs at all: the front
  refuses a flow the client's ExplicitAuthFlows do not allow, and, locally, the SRP flow (the apps use
  USER_PASSWORD_AUTH, which moto checks);
- moto signs every token for an hour whatever the client says: the stack makes it honour the client's
  IdTokenValidity and AccessTokenValidity (`honour_token_validity`);
- with PreventUserExistenceErrors, Cognito answers an unknown user's sign-in as a wrong password: so does the front.

Local stack only: nothing of it is deployed."""

from __future__ import annotations

import contextlib
import json
import secrets
import string
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from moto.cognitoidp.models import CognitoIdpUser, CognitoIdpUserPool, UserStatus

from loyalty_local.cloud.template import load_template, parameter_defaults

FRONT_PATH = "/_local/cognito-idp/"
TARGET_PREFIX = "AWSCognitoIdentityProviderService."
MAIL_SENDER = "no-reply@verificationemail.localhost"
# https://docs.aws.amazon.com/cognito/latest/developerguide/signing-up-users-in-your-app.html: "The confirmation
# code expires after 24 hours"; the forgotten-password code after one hour
# (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ForgotPassword.html).
SIGN_UP_CODE_SECONDS = 24 * 3600
RESET_CODE_SECONDS = 3600

Answer = tuple[int, bytes, dict[str, str]]


# ---------------------------------------------------------------- the pool, from template.yaml


def _condition(template: dict[str, Any], expression: Any, params: dict[str, Any]) -> Any:
    if isinstance(expression, dict) and len(expression) == 1:
        ((name, value),) = expression.items()
        if name == "Ref":
            return params.get(value, "")
        if name == "Fn::Equals":
            return _condition(template, value[0], params) == _condition(template, value[1], params)
        if name == "Fn::Not":
            return not _condition(template, value[0], params)
        if name == "Fn::And":
            return all(_condition(template, v, params) for v in value)
        if name == "Fn::Or":
            return any(_condition(template, v, params) for v in value)
        if name == "Condition":
            return _condition(template, template["Conditions"][value], params)
    return expression


_NO_VALUE = object()


def _resolved(template: dict[str, Any], value: Any, params: dict[str, Any]) -> Any:
    """A resource property with the template's intrinsics worked out from the parameters' defaults (the local
    stage); `AWS::NoValue` drops the property, as CloudFormation does."""
    if isinstance(value, list):
        listed = [_resolved(template, v, params) for v in value]
        return [v for v in listed if v is not _NO_VALUE]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        ((name, argument),) = value.items()
        if name == "Ref":
            return _NO_VALUE if argument == "AWS::NoValue" else params.get(argument, argument)
        if name == "Fn::If":
            condition, when_true, when_false = argument
            chosen = (
                when_true if _condition(template, template["Conditions"][condition], params) else when_false
            )
            return _resolved(template, chosen, params)
        if name == "Fn::Sub" and isinstance(argument, str):
            text = argument.replace("${AWS::AccountId}", "000000000000").replace(
                "${AWS::Region}", "us-east-1"
            )
            for key, default in params.items():
                text = text.replace("${" + key + "}", str(default))
            return text
    items = {k: _resolved(template, v, params) for k, v in value.items()}
    return {k: v for k, v in items.items() if v is not _NO_VALUE}


def _resources_of(template: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    params = {k: v for k, v in parameter_defaults(template).items() if v is not None}
    return [
        _resolved(template, resource.get("Properties", {}), params)
        for resource in template["Resources"].values()
        if resource.get("Type") == kind
    ]


@dataclass(frozen=True)
class PoolDefinition:
    """What CreateUserPool, CreateUserPoolClient and CreateGroup are called with: the template's properties."""

    pool: dict[str, Any]
    client: dict[str, Any]
    groups: list[dict[str, Any]]

    @classmethod
    def from_template(cls, template: dict[str, Any] | None = None) -> PoolDefinition:
        template = template or load_template()
        (pool,) = _resources_of(template, "AWS::Cognito::UserPool")
        (client,) = _resources_of(template, "AWS::Cognito::UserPoolClient")
        groups = _resources_of(template, "AWS::Cognito::UserPoolGroup")
        # CloudFormation names the pool UserPoolName where the API says PoolName.
        pool = {("PoolName" if k == "UserPoolName" else k): v for k, v in pool.items()}
        client = {k: v for k, v in client.items() if k != "UserPoolId"}
        groups = [{k: v for k, v in group.items() if k != "UserPoolId"} for group in groups]
        return cls(pool, client, groups)

    @property
    def password_policy(self) -> dict[str, Any]:
        return dict(self.pool.get("Policies", {}).get("PasswordPolicy", {}))


@dataclass(frozen=True)
class CreatedPool:
    pool_id: str
    client_id: str
    region: str

    @property
    def issuer(self) -> str:
        # What Cognito puts in `iss`, and what the template's JWT authorizer names (moto signs with the same).
        return f"https://cognito-idp.{self.region}.amazonaws.com/{self.pool_id}"


def create_user_pool(cognito: Any, definition: PoolDefinition, region: str) -> CreatedPool:
    """The template's pool, client and groups in moto: found by name when an earlier stack of this process made
    them (tests start more than one), else created."""
    name = definition.pool["PoolName"]
    pools = cognito.list_user_pools(MaxResults=60)["UserPools"]
    pool_id = next((p["Id"] for p in pools if p["Name"] == name), None)
    if pool_id is None:
        pool_id = cognito.create_user_pool(**definition.pool)["UserPool"]["Id"]
    clients = cognito.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)["UserPoolClients"]
    client_name = definition.client["ClientName"]
    client_id = next((c["ClientId"] for c in clients if c["ClientName"] == client_name), None)
    if client_id is None:
        client_id = cognito.create_user_pool_client(UserPoolId=pool_id, **definition.client)[
            "UserPoolClient"
        ]["ClientId"]
    for group in definition.groups:
        with contextlib.suppress(cognito.exceptions.GroupExistsException):
            cognito.create_group(UserPoolId=pool_id, **group)
    return CreatedPool(pool_id, client_id, region)


_UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
_original_create_jwt = CognitoIdpUserPool.create_jwt


def _create_jwt_for_client_validity(
    self: CognitoIdpUserPool,
    client_id: str,
    username: str,
    token_use: str,
    expires_in: int = 3600,
    extra_data: dict[str, Any] | None = None,
) -> tuple[str, int]:
    client = self.clients.get(client_id)
    if client is not None:
        config = client.extended_config
        key = "IdToken" if token_use == "id" else "AccessToken"
        amount = config.get(f"{key}Validity")
        if amount:
            unit = (config.get("TokenValidityUnits") or {}).get(key, "hours")
            expires_in = int(amount) * _UNIT_SECONDS[unit]
    return _original_create_jwt(self, client_id, username, token_use, expires_in, extra_data)


def honour_token_validity() -> None:
    """moto signs ID and access tokens for an hour whatever the client says; Cognito uses the client's
    IdTokenValidity and AccessTokenValidity (https://docs.aws.amazon.com/cognito/latest/developerguide/
    amazon-cognito-user-pools-using-tokens-with-identity-providers.html), which the stack's removal bound
    depends on."""
    CognitoIdpUserPool.create_jwt = _create_jwt_for_client_validity  # type: ignore[method-assign]


# ---------------------------------------------------------------- the front


class CognitoError(Exception):
    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message

    def answer(self) -> Answer:
        body = json.dumps({"__type": self.kind, "message": self.message}).encode()
        return 400, body, {"Content-Type": "application/x-amz-json-1.1", "x-amzn-ErrorType": f"{self.kind}:"}


def password_problem(policy: dict[str, Any], password: str) -> str | None:
    """Cognito's password policy check (https://docs.aws.amazon.com/cognito/latest/developerguide/
    user-pool-settings-policies.html): the first rule broken, or None."""
    if len(password) < int(policy.get("MinimumLength", 8)):
        return "Password not long enough"
    if policy.get("RequireLowercase") and not any(c.islower() for c in password):
        return "Password must have lowercase characters"
    if policy.get("RequireUppercase") and not any(c.isupper() for c in password):
        return "Password must have uppercase characters"
    if policy.get("RequireNumbers") and not any(c.isdigit() for c in password):
        return "Password must have numeric characters"
    if policy.get("RequireSymbols") and not any(c in "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-" for c in password):
        return "Password must have symbol characters"
    return None


@dataclass
class _Code:
    code: str
    expires: float


@dataclass
class CognitoFront:
    """Cognito's API at the gateway's origin, as strict as Cognito where moto is not (see the module's doc)."""

    moto_endpoint: str
    pool: CreatedPool
    definition: PoolDefinition
    send_mail: Callable[[str, str, str], None]  # to, subject, text
    clock: Callable[[], float] = time.time
    _codes: dict[tuple[str, str], _Code] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # -- plumbing

    def handle(self, headers: dict[str, str], body: bytes) -> Answer:
        target = headers.get("x-amz-target", "")
        operation = target.removeprefix(TARGET_PREFIX)
        try:
            request = json.loads(body or b"{}")
        except ValueError:
            return CognitoError("SerializationException", "The request is not JSON.").answer()
        if not isinstance(request, dict):
            return CognitoError("SerializationException", "The request is not a JSON object.").answer()
        step = getattr(self, f"_{operation}", None)
        try:
            if step is None:
                return self._forward(headers, body)
            answer: Answer = step(headers, request)
            return answer
        except CognitoError as error:
            return error.answer()

    def _forward(self, headers: dict[str, str], body: bytes) -> Answer:
        sent = {k: v for k, v in headers.items() if k in ("content-type", "x-amz-target", "authorization")}
        sent.setdefault("content-type", "application/x-amz-json-1.1")
        request = urllib.request.Request(f"{self.moto_endpoint}/", data=body, headers=sent, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read(), {"Content-Type": "application/x-amz-json-1.1"}
        except urllib.error.HTTPError as error:
            return error.code, error.read(), {"Content-Type": "application/x-amz-json-1.1"}

    def _call(self, operation: str, request: dict[str, Any]) -> dict[str, Any]:
        """One call to moto; its error as the CognitoError Cognito would answer."""
        headers = {"content-type": "application/x-amz-json-1.1", "x-amz-target": TARGET_PREFIX + operation}
        status, body, _ = self._forward(headers, json.dumps(request).encode())
        try:
            answer: dict[str, Any] = json.loads(body or b"{}")
        except ValueError:
            answer = {"__type": "InternalErrorException", "message": body.decode(errors="replace")[:200]}
        if status >= 400:
            raise CognitoError(
                str(answer.get("__type", "InternalErrorException")), str(answer.get("message"))
            )
        return answer

    def _relay(self, operation: str, request: dict[str, Any]) -> Answer:
        return (
            200,
            json.dumps(self._call(operation, request)).encode(),
            {"Content-Type": "application/x-amz-json-1.1"},
        )

    def _user(self, username: str) -> dict[str, Any] | None:
        try:
            return self._call("AdminGetUser", {"UserPoolId": self.pool.pool_id, "Username": username})
        except CognitoError as error:
            if error.kind == "UserNotFoundException":
                return None
            raise

    @staticmethod
    def _attribute(user: dict[str, Any], name: str) -> str | None:
        for attribute in user.get("UserAttributes", []):
            if attribute["Name"] == name:
                return str(attribute["Value"])
        return None

    def _new_code(self, purpose: str, username: str, seconds: int) -> str:
        code = "".join(secrets.choice(string.digits) for _ in range(6))
        with self._lock:
            self._codes[(purpose, username.strip().lower())] = _Code(code, self.clock() + seconds)
        return code

    def _check_code(self, purpose: str, username: str, code: str) -> None:
        # Cognito's own answers to a wrong and to an expired code (ConfirmSignUp, ConfirmForgotPassword).
        with self._lock:
            kept = self._codes.get((purpose, username.strip().lower()))
        if kept is None or not secrets.compare_digest(kept.code, str(code)):
            raise CognitoError(
                "CodeMismatchException", "Invalid verification code provided, please try again."
            )
        if self.clock() > kept.expires:
            raise CognitoError("ExpiredCodeException", "Invalid code provided, please request a code again.")
        with self._lock:
            self._codes.pop((purpose, username.strip().lower()), None)

    def _mail_code(self, to: str, code: str) -> None:
        template = self.definition.pool.get("VerificationMessageTemplate", {})
        subject = template.get("EmailSubject", "Your verification code")
        text = template.get("EmailMessage", "Your verification code is {####}").replace("{####}", code)
        self.send_mail(to, subject, text)

    def _own_client(self, request: dict[str, Any]) -> None:
        if request.get("ClientId") != self.pool.client_id:
            raise CognitoError("ResourceNotFoundException", "User pool client does not exist.")

    # -- the operations moto leaves short

    def _SignUp(self, headers: dict[str, str], request: dict[str, Any]) -> Answer:
        self._own_client(request)
        if self.definition.pool.get("AdminCreateUserConfig", {}).get("AllowAdminCreateUserOnly"):
            raise CognitoError("NotAuthorizedException", "SignUp is not permitted for this user pool")
        problem = password_problem(self.definition.password_policy, str(request.get("Password", "")))
        if problem:
            raise CognitoError("InvalidPasswordException", f"Password did not conform with policy: {problem}")
        answer = self._call("SignUp", request)
        username = str(request.get("Username", ""))
        self._mail_code(username, self._new_code("signup", username, SIGN_UP_CODE_SECONDS))
        masked = username[:1] + "***@" + username.partition("@")[2][:1] + "***"
        answer["CodeDeliveryDetails"] = {
            "Destination": masked,
            "DeliveryMedium": "EMAIL",
            "AttributeName": "email",
        }
        return 200, json.dumps(answer).encode(), {"Content-Type": "application/x-amz-json-1.1"}

    def _ResendConfirmationCode(self, headers: dict[str, str], request: dict[str, Any]) -> Answer:
        self._own_client(request)
        username = str(request.get("Username", ""))
        user = self._user(username)
        if user is not None and user.get("UserStatus") == "UNCONFIRMED":
            self._mail_code(username, self._new_code("signup", username, SIGN_UP_CODE_SECONDS))
        elif user is not None:
            raise CognitoError("InvalidParameterException", "User is already confirmed.")
        details = {"Destination": "***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}
        return (
            200,
            json.dumps({"CodeDeliveryDetails": details}).encode(),
            {"Content-Type": "application/x-amz-json-1.1"},
        )

    def _ConfirmSignUp(self, headers: dict[str, str], request: dict[str, Any]) -> Answer:
        self._own_client(request)
        username = str(request.get("Username", ""))
        user = self._user(username)
        if user is None:
            raise CognitoError(
                "CodeMismatchException", "Invalid verification code provided, please try again."
            )
        if user.get("UserStatus") != "UNCONFIRMED":
            raise CognitoError(
                "NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED"
            )
        self._check_code("signup", username, str(request.get("ConfirmationCode", "")))
        self._call("ConfirmSignUp", {"ClientId": request["ClientId"], "Username": username})
        # A confirmed code proves the address: Cognito marks it verified.
        self._call(
            "AdminUpdateUserAttributes",
            {
                "UserPoolId": self.pool.pool_id,
                "Username": username,
                "UserAttributes": [{"Name": "email_verified", "Value": "true"}],
            },
        )
        return 200, b"{}", {"Content-Type": "application/x-amz-json-1.1"}

    def _ForgotPassword(self, headers: dict[str, str], request: dict[str, Any]) -> Answer:
        self._own_client(request)
        username = str(request.get("Username", ""))
        user = self._user(username)
        details = {"Destination": "***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}
        # PreventUserExistenceErrors: an unknown address gets the same answer and no mail.
        if user is not None and user.get("Enabled", True):
            self._call("ForgotPassword", {"ClientId": request["ClientId"], "Username": username})
            to = self._attribute(user, "email") or username
            code = self._new_code("reset", username, RESET_CODE_SECONDS)
            self.send_mail(to, "Your password reset code", f"Your password reset code is {code}")
        return (
            200,
            json.dumps({"CodeDeliveryDetails": details}).encode(),
            {"Content-Type": "application/x-amz-json-1.1"},
        )

    def _ConfirmForgotPassword(self, headers: dict[str, str], request: dict[str, Any]) -> Answer:
        self._own_client(request)
        username = str(request.get("Username", ""))
        password = str(request.get("Password", ""))
        # A password the policy refuses leaves the code usable, as Cognito does.
        problem = password_problem(self.definition.password_policy, password)
        if problem:
            raise CognitoError("InvalidPasswordException", f"Password did not conform with policy: {problem}")
        self._check_code("reset", username, str(request.get("ConfirmationCode", "")))
        # moto takes any code that does not look like its own; the front has checked ours.
        return self._relay(
            "ConfirmForgotPassword",
            {
                "ClientId": request["ClientId"],
                "Username": username,
                "Password": password,
                "ConfirmationCode": "checked",
            },
        )

    def _AdminCreateUser(self, headers: dict[str, str], request: dict[str, Any]) -> Answer:
        action = request.get("MessageAction")
        password = request.get("TemporaryPassword") or self._temporary_password()
        answer = self._call("AdminCreateUser", {**request, "TemporaryPassword": password})
        if action != "SUPPRESS":
            template = self.definition.pool.get("AdminCreateUserConfig", {}).get("InviteMessageTemplate", {})
            username = str(request.get("Username", ""))
            text = str(
                template.get("EmailMessage", "Your username is {username} and temporary password is {####}.")
            )
            subject = str(template.get("EmailSubject", "Your temporary password"))
            self.send_mail(
                username, subject, text.replace("{username}", username).replace("{####}", password)
            )
        return 200, json.dumps(answer, default=str).encode(), {"Content-Type": "application/x-amz-json-1.1"}

    def _temporary_password(self) -> str:
        policy = self.definition.password_policy
        length = max(int(policy.get("MinimumLength", 8)), 12)
        while True:
            candidate = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(length))
            if password_problem(policy, candidate) is None:
                return candidate

    def _AdminUserGlobalSignOut(self, headers: dict[str, str], request: dict[str, Any]) -> Answer:
        # moto revokes only the refresh tokens of sign-ins made under the very name given here, and people sign
        # in with their email while the API names them by `sub`; Cognito revokes every one of the user's.
        user = self._user(str(request.get("Username", "")))
        if user is None:
            raise CognitoError("UserNotFoundException", "User does not exist.")
        for name in {str(user["Username"]), self._attribute(user, "email") or str(user["Username"])}:
            self._call("AdminUserGlobalSignOut", {"UserPoolId": request.get("UserPoolId"), "Username": name})
        return 200, b"{}", {"Content-Type": "application/x-amz-json-1.1"}

    def _InitiateAuth(self, headers: dict[str, str], request: dict[str, Any]) -> Answer:
        self._own_client(request)
        flow = str(request.get("AuthFlow", ""))
        allowed = self.definition.client.get("ExplicitAuthFlows", [])
        wanted = (
            "ALLOW_REFRESH_TOKEN_AUTH" if flow in ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN") else f"ALLOW_{flow}"
        )
        if wanted not in allowed:
            raise CognitoError("InvalidParameterException", f"{flow} flow not enabled for this client")
        if flow == "USER_SRP_AUTH":
            # moto accepts any SRP proof: locally that would let any password in, so the stack refuses it.
            raise CognitoError(
                "InvalidParameterException", "The local stack signs in with USER_PASSWORD_AUTH only"
            )
        try:
            return self._relay("InitiateAuth", request)
        except CognitoError as error:
            if error.kind == "UserNotFoundException":
                raise CognitoError("NotAuthorizedException", "Incorrect username or password.") from error
            raise


def start_front(stack: Any) -> CognitoFront:
    """The template's pool in the stack's moto, and its front served by the gateway at FRONT_PATH."""
    import boto3

    from loyalty_local.cloud.mail import send_local_mail
    from loyalty_local.cloud.stack import REGION

    honour_token_validity()
    definition = PoolDefinition.from_template()
    cognito = boto3.client("cognito-idp", region_name=REGION, endpoint_url=stack.moto.endpoint)
    created = create_user_pool(cognito, definition, REGION)
    ses = stack.client("sesv2")
    with contextlib.suppress(ses.exceptions.AlreadyExistsException):
        ses.create_email_identity(EmailIdentity=MAIL_SENDER)
    return CognitoFront(
        stack.moto.endpoint,
        created,
        definition,
        lambda to, subject, text: send_local_mail(ses, MAIL_SENDER, to, subject, text),
    )


# ---------------------------------------------------------------- accounts kept across restarts


def _pool(pool_id: str) -> Any:
    from moto.cognitoidp.models import cognitoidp_backends
    from moto.core.models import DEFAULT_ACCOUNT_ID

    return cognitoidp_backends[DEFAULT_ACCOUNT_ID][pool_id.split("_", 1)[0]].user_pools[pool_id]


def save_accounts(pool_id: str, path: Path) -> int:
    """The pool's accounts (ids, passwords, status, attributes, groups) into `path`: moto keeps them in memory
    only, and a deployed pool keeps its people across anything. Local data only (the passwords are local ones)."""
    accounts = [
        {
            "username": user.username,
            "id": user.id,
            "password": user.password,
            "status": UserStatus(user.status).value,
            "enabled": user.enabled,
            "attributes": user.attributes,
            "groups": sorted(group.group_name for group in user.groups),
        }
        for user in _pool(pool_id).users.values()
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(accounts), encoding="utf-8")
    path.chmod(0o600)
    return len(accounts)


def restore_accounts(pool_id: str, path: Path) -> int:
    """The accounts `save_accounts` kept, back in the pool with the same ids (`sub`s), so the table's people
    and their sign-ins still match; an account the pool already has is left as it is."""
    if not path.exists():
        return 0
    pool = _pool(pool_id)
    restored = 0
    for kept in json.loads(path.read_text(encoding="utf-8")):
        if kept["username"] in pool.users:
            continue
        user = CognitoIdpUser(
            pool_id, kept["username"], kept["password"], UserStatus(kept["status"]), kept["attributes"]
        )
        user.id = kept["id"]
        user.enabled = kept["enabled"]
        pool.users[user.username] = user
        for name in kept["groups"]:
            group = pool.groups.get(name)
            if group is not None:
                group.users.add(user)
                user.groups.add(group)
        restored += 1
    return restored
