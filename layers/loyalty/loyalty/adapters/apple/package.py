"""The `.pkpass` file: pass.json, images and strings, `manifest.json` (SHA-1 of each), and `signature`, a
detached PKCS#7 of the manifest made with the Pass Type ID certificate, carrying Apple's WWDR intermediate and
a signingTime attribute (iOS refuses a pass whose signature has no signing time)."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Mapping
from datetime import datetime

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.hazmat.primitives.serialization.pkcs7 import PKCS7Options, PKCS7SignatureBuilder

from loyalty.adapters.apple.content import PassDocument, json_bytes, strings_file
from loyalty.adapters.apple.credentials import PassSigningCredentials
from loyalty.adapters.apple.images import pass_images


def pass_files(document: PassDocument, images: Mapping[str, bytes] | None = None) -> dict[str, bytes]:
    """`images`: the business's own (logo, icon, strip at each scale), in place of the bundled ones."""
    files = {"pass.json": json_bytes(document.pass_json), **pass_images(), **(images or {})}
    for language, entries in document.strings.items():
        files[f"{language}.lproj/pass.strings"] = strings_file(entries)
    return files


def manifest(files: dict[str, bytes]) -> bytes:
    return json.dumps(
        {name: hashlib.sha1(content).hexdigest() for name, content in sorted(files.items())},  # noqa: S324 - Apple's format
        indent=2,
    ).encode()


def sign_manifest(manifest_bytes: bytes, credentials: PassSigningCredentials) -> bytes:
    # No NoAttributes option: the default signed attributes include signingTime, which Wallet requires.
    return (
        PKCS7SignatureBuilder()
        .set_data(manifest_bytes)
        .add_signer(credentials.certificate, credentials.private_key, hashes.SHA256())
        .add_certificate(credentials.wwdr_certificate)
        .sign(Encoding.DER, [PKCS7Options.DetachedSignature, PKCS7Options.Binary])
    )


def build_pkpass(
    document: PassDocument,
    credentials: PassSigningCredentials,
    at: datetime,
    images: Mapping[str, bytes] | None = None,
) -> bytes:
    """The zip; `at` (the pass's last change) is every entry's time."""
    files = pass_files(document, images)
    manifest_bytes = manifest(files)
    files["manifest.json"] = manifest_bytes
    files["signature"] = sign_manifest(manifest_bytes, credentials)
    stamp = (max(at.year, 1980), at.month, at.day, at.hour, at.minute, at.second)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            entry = zipfile.ZipInfo(name, date_time=stamp)
            # A PNG is compressed already: deflating it again costs time and saves nothing.
            entry.compress_type = zipfile.ZIP_STORED if name.endswith(".png") else zipfile.ZIP_DEFLATED
            archive.writestr(entry, content)
    return buffer.getvalue()
