"""The .pkpass file: what Wallet unpacks, hashes and verifies before it shows a pass."""

from __future__ import annotations

import hashlib
import json
import struct
import subprocess
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from loyalty.adapters.apple.content import pass_document, pass_face
from loyalty.adapters.apple.credentials import AppleCredentialsError, parse_apns_key, parse_pass_signing
from loyalty.adapters.apple.package import build_pkpass
from tests.support.apple_passes import a_pass, an_issuer, an_offer
from tests.support.wallet_certs import AppleTestChain, make_chain, openssl_verify, signing_credentials, unzip


@pytest.fixture(scope="module")
def chain() -> AppleTestChain:
    return make_chain("pass.test.loyalty", "TEAM123456")


@pytest.fixture(scope="module")
def pkpass(chain: AppleTestChain) -> bytes:
    offer = an_offer()
    pass_ = a_pass(offer)
    document = pass_document(
        pass_face(pass_, offer, offer.ladder.standing(pass_.rewards_claimed), 90),
        an_issuer(chain.pass_type_id, chain.team_id),
    )
    return build_pkpass(document, signing_credentials(chain), datetime(2026, 11, 23, 12, 0, tzinfo=UTC))


def test_unzips_to_pass_images_strings_manifest_and_signature(pkpass: bytes) -> None:
    assert set(unzip(pkpass)) == {
        "pass.json",
        "icon.png",
        "icon@2x.png",
        "icon@3x.png",
        "logo.png",
        "logo@2x.png",
        "logo@3x.png",
        "en.lproj/pass.strings",
        "ar.lproj/pass.strings",
        "manifest.json",
        "signature",
    }


def test_manifest_hashes_every_other_file(pkpass: bytes) -> None:
    files = unzip(pkpass)
    manifest = json.loads(files["manifest.json"])
    assert set(manifest) == set(files) - {"manifest.json", "signature"}
    for name, digest in manifest.items():
        assert hashlib.sha1(files[name]).hexdigest() == digest, name


def test_openssl_accepts_the_signature_against_the_chain(
    pkpass: bytes, chain: AppleTestChain, tmp_path: Path
) -> None:
    verified = openssl_verify(unzip(pkpass), chain.root_pem, tmp_path)
    assert verified.returncode == 0, verified.stderr
    assert "Verification successful" in verified.stderr


def test_openssl_rejects_it_under_another_root(pkpass: bytes, tmp_path: Path) -> None:
    stranger = make_chain("pass.test.loyalty", "TEAM123456")
    assert openssl_verify(unzip(pkpass), stranger.root_pem, tmp_path).returncode != 0


def test_openssl_rejects_a_tampered_manifest(pkpass: bytes, chain: AppleTestChain, tmp_path: Path) -> None:
    files = unzip(pkpass)
    manifest = json.loads(files["manifest.json"])
    manifest["pass.json"] = hashlib.sha1(b"another pass").hexdigest()
    files["manifest.json"] = json.dumps(manifest, indent=2).encode()
    assert openssl_verify(files, chain.root_pem, tmp_path).returncode != 0


def test_signature_carries_signing_time_and_the_wwdr_certificate(
    pkpass: bytes, chain: AppleTestChain, tmp_path: Path
) -> None:
    (tmp_path / "signature").write_bytes(unzip(pkpass)["signature"])
    printed = subprocess.run(
        ["openssl", "cms", "-cmsout", "-print", "-inform", "DER", "-in", "signature"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "signingTime" in printed
    assert "messageDigest" in printed
    certificates = subprocess.run(
        ["openssl", "pkcs7", "-inform", "DER", "-in", "signature", "-print_certs", "-noout"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Worldwide Developer Relations" in certificates
    assert f"Pass Type ID: {chain.pass_type_id}" in certificates


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR"
    body = data[16 : 16 + length]
    assert struct.unpack(">I", data[16 + length : 20 + length])[0] == zlib.crc32(kind + body)
    width, height = struct.unpack(">II", body[:8])
    return width, height


@pytest.mark.parametrize(("image", "points"), [("icon", 29), ("logo", 50)])
def test_images_are_valid_pngs_at_each_scale(pkpass: bytes, image: str, points: int) -> None:
    files = unzip(pkpass)
    assert _png_size(files[f"{image}.png"]) == (points, points)
    assert _png_size(files[f"{image}@2x.png"]) == (2 * points, 2 * points)
    assert _png_size(files[f"{image}@3x.png"]) == (3 * points, 3 * points)


def test_secret_problems_never_echo_the_secret(chain: AppleTestChain) -> None:
    secret = json.loads(chain.certificate_secret())
    secret["passPrivateKey"] = secret["passPrivateKey"].replace("A", "B", 40)
    with pytest.raises(AppleCredentialsError) as raised:
        parse_pass_signing(json.dumps(secret))
    assert "PRIVATE" not in str(raised.value)
    mismatched = json.loads(chain.certificate_secret())
    mismatched["passCertificate"] = mismatched["wwdrCertificate"]
    with pytest.raises(AppleCredentialsError, match="does not belong"):
        parse_pass_signing(json.dumps(mismatched))
    with pytest.raises(AppleCredentialsError, match="not JSON"):
        parse_apns_key("-----BEGIN PRIVATE KEY-----")
    assert parse_apns_key(chain.apns_secret()).key_id == chain.apns_key_id
