"""A business's brand through the local gateway and moto's S3: presigned uploads, images checked and drawn at every
size, colours checked for contrast, and every refusal a clear 4xx that keeps nothing."""

from __future__ import annotations

import base64
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
import requests
from PIL import Image

from tests.support.counter import Counter
from tests.support.images import SVG, animated_png, decompression_bomb, encoded

pytestmark = pytest.mark.e2e

READABLE = {"backgroundColor": "#FFF8E7", "foregroundColor": "#3B2314", "labelColor": "#6B4226"}


def uploaded(owner: Counter, data: bytes, kind: str = "logo", content_type: str = "image/png") -> str:
    """The image id of a file posted to the presigned upload, as the dashboard posts it."""
    ticket = owner.call("POST", "/api/business/images", json={"kind": kind, "contentType": content_type})
    assert ticket.status_code == 201, ticket.text
    answer = ticket.json()
    form = answer["upload"]
    sent = requests.post(form["url"], data=form["fields"], files={"file": ("upload", data)}, timeout=60)
    assert sent.status_code in (200, 201, 204), sent.text
    return str(answer["imageId"])


def brand_of(owner: Counter) -> dict[str, object]:
    response = owner.call("GET", "/api/business")
    assert response.status_code == 200, response.text
    brand: dict[str, object] = response.json()["brand"]
    return brand


def test_a_logo_and_colours_are_taken_and_served_from_the_web_origin(gateway: str, owner: Counter) -> None:
    logo = uploaded(owner, encoded(900, 300, "JPEG"), content_type="image/jpeg")

    response = owner.call("PATCH", "/api/business", json={"brand": {"logoImageId": logo, **READABLE}})

    assert response.status_code == 200, response.text
    brand = response.json()["brand"]
    assert brand["logoImageId"] == logo and brand["backgroundColor"] == "#FFF8E7"
    assert brand["logoUrl"] == f"{gateway}/brand-images/{logo}/logo@2x.png"
    served = requests.get(brand["logoUrl"], timeout=30)
    assert served.status_code == 200 and served.headers["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(served.content)).size == (300, 100)
    hero = requests.get(f"{gateway}/brand-images/{logo}/google-logo.png", timeout=30)
    assert Image.open(io.BytesIO(hero.content)).size == (660, 660)
    assert brand_of(owner) == brand
    pass_ = requests.get(f"{gateway}/api/public/offers/{owner.create_offer()}", timeout=30).json()
    assert pass_["business"]["brand"] == brand


def test_the_upload_form_bounds_type_size_key_and_time(owner: Counter, business_id: str) -> None:
    ticket = owner.call("POST", "/api/business/images", json={"kind": "strip", "contentType": "image/webp"})
    assert ticket.status_code == 201, ticket.text
    body = ticket.json()
    assert body["imageId"].startswith("img_")
    fields = body["upload"]["fields"]
    assert fields["Content-Type"] == "image/webp"
    assert fields["x-amz-algorithm"] == "AWS4-HMAC-SHA256"
    policy = json.loads(base64.b64decode(fields["policy"]))
    assert {"Content-Type": "image/webp"} in policy["conditions"]
    assert ["content-length-range", 1, 5 * 1024 * 1024] in policy["conditions"]
    assert {"key": f"uploads/{business_id}/{body['imageId']}"} in policy["conditions"]
    expires = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    assert timedelta(minutes=9) < expires - datetime.now(UTC) <= timedelta(minutes=10)
    refused = owner.call(
        "POST", "/api/business/images", json={"kind": "logo", "contentType": "image/svg+xml"}
    )
    assert refused.status_code == 422, refused.text


def test_thirty_megabytes_are_refused_and_nothing_is_kept(owner: Counter) -> None:
    ticket = owner.call(
        "POST", "/api/business/images", json={"kind": "logo", "contentType": "image/png"}
    ).json()
    form = ticket["upload"]
    big = encoded(600, 200) + b"\0" * (30 * 1024 * 1024)
    sent = requests.post(form["url"], data=form["fields"], files={"file": ("upload", big)}, timeout=120)
    if sent.status_code < 300:  # a store that let it in: the brand still refuses it
        response = owner.call("PATCH", "/api/business", json={"brand": {"logoImageId": ticket["imageId"]}})
        assert response.status_code == 422 and response.json()["error"]["code"] == "IMAGE_INVALID"
    else:
        assert sent.status_code == 400 and "EntityTooLarge" in sent.text
    assert brand_of(owner)["logoImageId"] is None


@pytest.mark.parametrize(
    ("data", "kind", "words"),
    [
        (SVG, "logo", "not a PNG, JPEG or WebP"),
        (b"GIF89a but then nothing", "logo", "not a PNG, JPEG or WebP"),
        (animated_png(), "logo", "animated"),
        (decompression_bomb(), "strip", "too large"),
        (encoded(40, 40), "icon", "at least 87 x 87"),
    ],
    ids=["svg", "not-an-image", "animated", "bomb", "too-small"],
)
def test_an_unusable_image_is_refused_naming_its_field(
    owner: Counter, data: bytes, kind: str, words: str
) -> None:
    image_id = uploaded(owner, data, kind)
    field = f"{kind}ImageId"

    response = owner.call("PATCH", "/api/business", json={"brand": {field: image_id, **READABLE}})

    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "IMAGE_INVALID"
    assert error["details"][0]["field"] == f"brand.{field}" and words in error["details"][0]["message"]
    assert brand_of(owner)[field] is None  # nothing kept: not the image, not the colours sent with it
    assert brand_of(owner)["backgroundColor"] != READABLE["backgroundColor"]


def test_an_image_of_another_business_is_refused(gateway: str, token, owner: Counter) -> None:
    stranger = Counter(gateway, token("owner", "biz_strangerbusiness01"))
    theirs = uploaded(stranger, encoded(600, 200))

    response = owner.call("PATCH", "/api/business", json={"brand": {"logoImageId": theirs}})

    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "IMAGE_INVALID"
    assert response.json()["error"]["details"][0]["field"] == "brand.logoImageId"


def test_low_contrast_is_refused_saying_so(owner: Counter) -> None:
    response = owner.call(
        "PATCH",
        "/api/business",
        json={"brand": {"backgroundColor": "#FFFFFF", "foregroundColor": "#EEEEEE", "labelColor": "#000000"}},
    )
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "LOW_CONTRAST"
    assert [d["field"] for d in error["details"]] == ["brand.foregroundColor"]
    assert "4.5:1" in error["details"][0]["message"]
    assert brand_of(owner)["backgroundColor"] != "#FFFFFF"


def test_managers_read_the_brand_but_only_owners_change_it(gateway: str, token, business_id: str) -> None:
    manager = Counter(gateway, token("manager", business_id, branch_id="branch-1", sub="manager-1"))
    assert manager.call("GET", "/api/business").status_code == 200
    assert manager.call("PATCH", "/api/business", json={"name": "Mine now"}).status_code == 403
    upload = manager.call("POST", "/api/business/images", json={"kind": "logo", "contentType": "image/png"})
    assert upload.status_code == 403
    assert requests.get(f"{gateway}/api/business", timeout=30).status_code == 401


def test_the_apple_pass_wears_the_business_name_colours_and_images(
    gateway: str, owner: Counter, local_stack, tmp_path
) -> None:
    from loyalty_local.standins.apple_wallet import AppleWalletLocal
    from tests.support.counter import enroll
    from tests.support.phone import pkpass_files
    from tests.support.wallet_certs import openssl_verify

    logo = uploaded(owner, encoded(900, 300, color="#2E86C1"))
    icon = uploaded(owner, encoded(200, 200, color="#27AE60"), "icon")
    strip = uploaded(owner, encoded(1200, 400, color="#8E44AD"), "strip")
    named = owner.call(
        "PATCH",
        "/api/business",
        json={
            "name": "Bean There",
            "nameAr": "بين ذير",
            "brand": {"logoImageId": logo, "iconImageId": icon, "stripImageId": strip, **READABLE},
        },
    )
    assert named.status_code == 200, named.text
    joined = enroll(gateway, owner.create_offer()).json()

    download = requests.get(joined["wallet"]["appleWalletUrl"], timeout=30)

    assert download.status_code == 200, download.text
    files = pkpass_files(download.content)
    apple = next(a for a in local_stack.addons if isinstance(a, AppleWalletLocal))
    assert (
        openssl_verify(files, apple.chain.root_pem, tmp_path).returncode == 0
    )  # signed over the brand images
    document = json.loads(files["pass.json"])
    assert (document["organizationName"], document["logoText"]) == ("Bean There", "Bean There")
    assert "بين ذير" in files["ar.lproj/pass.strings"].decode()
    assert document["backgroundColor"] == "rgb(255, 248, 231)"
    assert document["foregroundColor"] == "rgb(59, 35, 20)"
    for name, size, color in (
        ("logo@2x.png", (300, 100), (0x2E, 0x86, 0xC1)),
        ("icon@3x.png", (87, 87), (0x27, 0xAE, 0x60)),
        ("strip.png", (375, 123), (0x8E, 0x44, 0xAD)),
    ):
        image = Image.open(io.BytesIO(files[name])).convert("RGB")
        assert image.size == size and image.getpixel((size[0] // 2, size[1] // 2)) == color, name


def test_the_pass_preview_draws_the_brand_as_the_pass_does(owner: Counter) -> None:
    assert owner.call("PATCH", "/api/business", json={"brand": READABLE}).status_code == 200
    offer_id = owner.create_offer()
    pale_gold = {
        "enabled": True,
        "tiers": [
            {"id": "gold", "name": "Gold", "nameAr": "ذهبي", "minRewards": 1, "maxRewards": None, "icon": "🥇",
             "color": "#F7DC6F"},
        ],
    }  # fmt: skip
    dark_green = {**pale_gold, "tiers": [{**pale_gold["tiers"][0], "color": "#145A32"}]}

    def preview(ladder: dict[str, object]) -> dict[str, str]:
        body = {"loyaltyTiers": ladder, "rewardsClaimed": 1}
        answer = owner.call("POST", f"/api/offers/{offer_id}/pass-preview", json=body)
        assert answer.status_code == 200, answer.text
        apple: dict[str, str] = answer.json()["apple"]
        return apple

    pale = preview(pale_gold)
    assert (pale["backgroundColor"], pale["foregroundColor"]) == ("rgb(255, 248, 231)", "rgb(59, 35, 20)")
    assert (
        pale["labelColor"] == "rgb(107, 66, 38)"
    )  # a pale tier colour would be unreadable: the brand's label
    assert preview(dark_green)["labelColor"] == "rgb(20, 90, 50)"
