"""Throwaway Apple-shaped chains for tests (a root CA, a WWDR intermediate, a Pass Type ID certificate and an
APNs key), made fresh with `cryptography`, and the openssl check Apple's own verification amounts to."""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

from loyalty.adapters.apple.credentials import PassSigningCredentials, parse_pass_signing
from loyalty_local.standins.apple_wallet import AppleTestChain, make_chain

__all__ = ["AppleTestChain", "make_chain", "openssl_verify", "signing_credentials", "unzip"]


def signing_credentials(chain: AppleTestChain) -> PassSigningCredentials:
    return parse_pass_signing(chain.certificate_secret())


def unzip(pkpass: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(pkpass)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def openssl_verify(files: dict[str, bytes], root_pem: str, workdir: Path) -> subprocess.CompletedProcess[str]:
    """`openssl smime -verify` of the pass's detached signature over its manifest, trusting only `root_pem`."""
    (workdir / "manifest.json").write_bytes(files["manifest.json"])
    (workdir / "signature").write_bytes(files["signature"])
    (workdir / "root.pem").write_text(root_pem)
    return subprocess.run(
        [
            "openssl",
            "smime",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-in",
            "signature",
            "-content",
            "manifest.json",
            "-CAfile",
            "root.pem",
            "-out",
            "/dev/null",
        ],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=False,
    )
