"""A brand's colours and fields: readable text or a 422 that says why."""

from __future__ import annotations

import pytest

from loyalty.domain.brand import (
    DEFAULT_BRAND,
    Brand,
    LowContrast,
    brand_from_fields,
    contrast_ratio,
)
from loyalty.domain.errors import ValidationFailed
from loyalty.entrypoints.http.render import status_of


def test_contrast_follows_wcag() -> None:
    assert contrast_ratio("#FFFFFF", "#000000") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#123456", "#123456") == pytest.approx(1.0)


def test_the_platform_brand_is_readable() -> None:
    assert brand_from_fields({}) == DEFAULT_BRAND


def test_a_readable_brand_is_taken_and_keeps_what_it_does_not_name() -> None:
    base = Brand(icon_image_id="img_icon00000001")
    brand = brand_from_fields(
        {
            "backgroundColor": "#fff8e7",
            "foregroundColor": "#3b2314",
            "labelColor": "#6B4226",
            "logoImageId": "img_abcdef123456",
        },
        base,
    )
    assert brand == Brand(
        logo_image_id="img_abcdef123456",
        icon_image_id="img_icon00000001",
        background_color="#FFF8E7",
        foreground_color="#3B2314",
        label_color="#6B4226",
    )


def test_a_light_background_with_the_platform_label_colour_is_refused() -> None:
    with pytest.raises(LowContrast) as refused:
        brand_from_fields({"backgroundColor": "#FFF8E7", "foregroundColor": "#3B2314"})
    assert [detail.field for detail in refused.value.details] == ["brand.labelColor"]


def test_grey_on_white_is_refused_naming_the_colour() -> None:
    with pytest.raises(LowContrast) as refused:
        brand_from_fields(
            {"backgroundColor": "#FFFFFF", "foregroundColor": "#000000", "labelColor": "#777777"}
        )
    assert status_of(refused.value) == 422
    assert refused.value.code == "LOW_CONTRAST"
    assert [detail.field for detail in refused.value.details] == ["brand.labelColor"]
    assert "4.48:1" in refused.value.details[0].message


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"backgroundColor": "red"}, "brand.backgroundColor"),
        ({"foregroundColor": "#FFF"}, "brand.foregroundColor"),
        ({"logoImageId": "../../etc/passwd"}, "brand.logoImageId"),
        ({"stripImageId": 7}, "brand.stripImageId"),
        ({"font": "Comic Sans"}, "brand.font"),
    ],
)
def test_malformed_fields_are_named(fields: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        brand_from_fields(fields)
    assert [detail.field for detail in refused.value.details] == [field]
