"""Apple Wallet on the local stack: a throwaway certificate chain standing in for Apple's (a root CA, a "WWDR"
intermediate, a Pass Type ID certificate) and an APNs auth key, put into moto's Secrets Manager where the
functions read them, and the APNs stand-in that the pushes go to.

`make run` keeps the chain under `.local/apple-wallet/` (made on first run), so a pass added to a simulator
stays verifiable across restarts; tests make a fresh one in memory.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from loyalty_local.cloud.template import functions, parameter_defaults
from loyalty_local.standins.apns import ApnsStandIn

if TYPE_CHECKING:
    from loyalty_local.cloud.stack import LocalStack

LOCAL_PASS_TYPE_ID = "pass.local.loyalty.stampcard"
LOCAL_TEAM_ID = "LOCALTEAM1"
FUNCTION = "AppleWalletFunction"
_UID = x509.ObjectIdentifier("0.9.2342.19200300.100.1.1")


def _pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def _key_pem(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def _certificate(
    subject: x509.Name,
    issuer: x509.Name,
    public_key: Any,
    signer: rsa.RSAPrivateKey,
    *,
    ca: bool,
    path_length: int | None = None,
) -> x509.Certificate:
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=825))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=path_length if ca else None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    )
    return builder.sign(signer, hashes.SHA256())


@dataclass(frozen=True)
class AppleTestChain:
    """A chain shaped like Apple's, trusted by nothing but whoever holds `root_pem`."""

    pass_type_id: str
    team_id: str
    root_pem: str
    wwdr_pem: str
    pass_certificate_pem: str
    pass_key_pem: str
    apns_key_id: str
    apns_key_pem: str

    def certificate_secret(self) -> str:
        return json.dumps(
            {
                "passCertificate": self.pass_certificate_pem,
                "passPrivateKey": self.pass_key_pem,
                "wwdrCertificate": self.wwdr_pem,
            }
        )

    def apns_secret(self) -> str:
        return json.dumps({"keyId": self.apns_key_id, "privateKey": self.apns_key_pem})

    def apns_public_key(self) -> ec.EllipticCurvePublicKey:
        key = serialization.load_pem_private_key(self.apns_key_pem.encode(), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise TypeError("the local APNs key is not an EC key")
        return key.public_key()


def make_chain(pass_type_id: str = LOCAL_PASS_TYPE_ID, team_id: str = LOCAL_TEAM_ID) -> AppleTestChain:
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Loyalty Local Test Root CA")])
    root = _certificate(root_name, root_name, root_key.public_key(), root_key, ca=True, path_length=1)

    wwdr_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    wwdr_name = x509.Name(
        [
            x509.NameAttribute(
                NameOID.COMMON_NAME, "Local Worldwide Developer Relations Certification Authority"
            ),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "G4"),
        ]
    )
    wwdr = _certificate(wwdr_name, root_name, wwdr_key.public_key(), root_key, ca=True, path_length=0)

    pass_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pass_name = x509.Name(
        [
            x509.NameAttribute(_UID, pass_type_id),
            x509.NameAttribute(NameOID.COMMON_NAME, f"Pass Type ID: {pass_type_id}"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, team_id),
        ]
    )
    pass_certificate = _certificate(pass_name, wwdr_name, pass_key.public_key(), wwdr_key, ca=False)

    apns_key = ec.generate_private_key(ec.SECP256R1())
    return AppleTestChain(
        pass_type_id=pass_type_id,
        team_id=team_id,
        root_pem=_pem(root),
        wwdr_pem=_pem(wwdr),
        pass_certificate_pem=_pem(pass_certificate),
        pass_key_pem=_key_pem(pass_key),
        apns_key_id=secrets.token_hex(5).upper(),
        apns_key_pem=_key_pem(apns_key),
    )


def load_or_create_chain(directory: Path) -> AppleTestChain:
    """The chain kept in `directory/chain.json` (private keys included: throwaway, local only)."""
    path = directory / "chain.json"
    if path.exists():
        return AppleTestChain(**json.loads(path.read_text(encoding="utf-8")))
    chain = make_chain()
    directory.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(chain.__dict__, indent=2), encoding="utf-8")
    path.chmod(0o600)
    (directory / "root-ca.pem").write_text(chain.root_pem, encoding="utf-8")
    return chain


def put_secret(client: Any, name: str, value: str) -> None:
    try:
        client.create_secret(Name=name, SecretString=value)
    except client.exceptions.ResourceExistsException:
        client.put_secret_value(SecretId=name, SecretString=value)


@dataclass
class AppleWalletLocal:
    """What `start` set up, for tests to look at (the chain to verify signatures, the stand-in's pushes)."""

    chain: AppleTestChain
    apns: ApnsStandIn

    def describe(self) -> str:
        return f"  APNs stand-in  {self.apns.endpoint}   (HTTP/2 without TLS; pushes at /_standin/pushes)"

    def stop(self) -> None:
        self.apns.stop()


def start(stack: LocalStack) -> AppleWalletLocal:
    """The stack add-on: secrets into moto, the APNs stand-in up, the functions' Apple settings pointed at both."""
    data_dir = stack.config.data_dir
    chain = load_or_create_chain(data_dir / "apple-wallet") if data_dir else make_chain()
    params = {k: v for k, v in parameter_defaults().items() if v is not None}
    environment = functions()[FUNCTION].environment
    certificate_secret = stack.resolve(environment["APPLE_WALLET_CERTIFICATE_SECRET_ID"], params)
    apns_secret = stack.resolve(environment["APPLE_WALLET_APNS_KEY_SECRET_ID"], params)
    if not (certificate_secret and apns_secret):
        raise RuntimeError(f"template.yaml does not name the Apple Wallet secrets of {FUNCTION}")
    secrets_manager = stack.client("secretsmanager")
    put_secret(secrets_manager, certificate_secret, chain.certificate_secret())
    put_secret(secrets_manager, apns_secret, chain.apns_secret())

    apns = ApnsStandIn(
        chain.apns_public_key(), chain.apns_key_id, chain.team_id, frozenset({chain.pass_type_id})
    ).start()
    stack.config.overrides.update(
        {
            "APPLE_WALLET_PASS_TYPE_ID": chain.pass_type_id,
            "APPLE_WALLET_TEAM_ID": chain.team_id,
            "APPLE_WALLET_WEB_SERVICE_URL": f"{stack.base_url}/wallet/apple",
            # The stand-in speaks h2c here, so the functions push with the token option; the certificate way
            # is tested against the stand-in's TLS mode (tests/integration/test_apns_certificate_trust.py).
            "APPLE_WALLET_APNS_AUTH": "token",
        }
    )
    stack.endpoints["APPLE_WALLET_APNS_URL"] = apns.endpoint
    return AppleWalletLocal(chain, apns)
