"""Pushes with the pass type ID certificate (Wallet Developer Guide, "Updating a Pass"; "Establishing a
certificate-based connection to APNs"): our client presents the certificate from the pass certificate secret in
the TLS handshake, and the APNs stand-in, in its certificate mode, refuses a connection without a certificate of
the trusted chain and a push to any topic but the certificate's own."""

from __future__ import annotations

import ipaddress
import ssl
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from loyalty.adapters.apple.push import ApnsClient, PushFailed, PushOutcome
from loyalty_local.standins.apns import ApnsStandIn, ApnsTls
from tests.support.wallet_certs import AppleTestChain, make_chain, signing_credentials

pytestmark = pytest.mark.integration

PASS_TYPE_ID = "pass.com.example.loyalty.certified"
DEVICE = "c" * 64


def _pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def _server_identity() -> tuple[str, str, str]:
    """A root and, under it, the stand-in's certificate for 127.0.0.1: (root PEM, certificate PEM, key PEM)."""
    now = datetime.now(UTC)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "APNs stand-in test root")])
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(root_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .sign(root_key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return _pem(root), _pem(certificate), key_pem


@pytest.fixture(scope="module")
def chain() -> AppleTestChain:
    return make_chain(pass_type_id=PASS_TYPE_ID)


@pytest.fixture
def apns(chain: AppleTestChain) -> Iterator[tuple[ApnsStandIn, str]]:
    root_pem, certificate_pem, key_pem = _server_identity()
    tls = ApnsTls(certificate_pem, key_pem, client_root_pem=chain.wwdr_pem + chain.root_pem)
    standin = ApnsStandIn(None, "", chain.team_id, frozenset({PASS_TYPE_ID}), tls=tls).start()
    try:
        yield standin, root_pem
    finally:
        standin.stop()


def _client(apns: tuple[ApnsStandIn, str], chain: AppleTestChain) -> ApnsClient:
    standin, root_pem = apns
    return ApnsClient.connect_with_certificate(
        standin.endpoint, signing_credentials(chain), timeout=5, trusted_roots_pem=root_pem
    )


def test_a_push_with_the_pass_type_certificate_is_delivered_without_a_provider_token(
    apns: tuple[ApnsStandIn, str], chain: AppleTestChain
) -> None:
    client = _client(apns, chain)
    try:
        assert client.push(DEVICE, PASS_TYPE_ID) is PushOutcome.DELIVERED
    finally:
        client.close()
    (push,) = apns[0].delivered(DEVICE)
    assert push.topic == PASS_TYPE_ID
    assert push.provider_token == ""  # the handshake said who we are


def test_a_topic_other_than_the_certificates_is_refused(
    apns: tuple[ApnsStandIn, str], chain: AppleTestChain
) -> None:
    client = _client(apns, chain)
    try:
        with pytest.raises(PushFailed, match="400 TopicDisallowed"):
            client.push(DEVICE, "pass.com.example.someone-else")
    finally:
        client.close()
    assert apns[0].delivered() == []


def test_a_certificate_of_another_chain_gets_no_connection(apns: tuple[ApnsStandIn, str]) -> None:
    stranger = make_chain(pass_type_id=PASS_TYPE_ID)  # same pass type id, a root APNs does not trust
    client = _client(apns, stranger)
    try:
        with pytest.raises(PushFailed, match="unreachable"):
            client.push(DEVICE, PASS_TYPE_ID)
    finally:
        client.close()
    assert apns[0].pushes == []


def test_a_token_client_without_a_certificate_gets_no_connection(apns: tuple[ApnsStandIn, str]) -> None:
    standin, root_pem = apns
    context = ssl.create_default_context(cadata=root_pem)
    context.set_alpn_protocols(["h2"])
    with (
        httpx.Client(http1=False, http2=True, verify=context, timeout=5) as http,
        pytest.raises(httpx.TransportError),
    ):
        http.post(
            f"{standin.endpoint}/3/device/{DEVICE}", headers={"apns-topic": PASS_TYPE_ID}, content=b"{}"
        )
    assert standin.pushes == []
