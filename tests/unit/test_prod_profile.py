"""`sam deploy --config-env prod` gets every parameter production needs from samconfig.toml, AIR Kit's production
API among them, and the template refuses a prod stage pointed at AIR Kit's sandbox."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from loyalty_local.cloud.template import load_template

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = load_template()
SANDBOX = "https://api.sandbox.mocachain.org/v1"


def _prod_overrides() -> dict[str, str]:
    config = tomllib.loads((ROOT / "samconfig.toml").read_text(encoding="utf-8"))
    overrides = config["prod"]["deploy"]["parameters"]["parameter_overrides"]
    return dict(item.split("=", 1) for item in overrides)


def test_the_prod_profile_names_every_parameter_without_a_default() -> None:
    required = {name for name, spec in TEMPLATE["Parameters"].items() if "Default" not in spec}
    assert required <= set(_prod_overrides()), required - set(_prod_overrides())


def test_the_prod_profile_gives_air_kit_every_setting_and_its_production_api() -> None:
    overrides = _prod_overrides()
    for name in ("AirKitPartnerId", "AirKitKeyId", "AirKitIssuerDid", "AirKitCredentialId", "AirKitBaseUrl"):
        assert name in overrides, name
    assert overrides["Stage"] == "prod"
    base = overrides["AirKitBaseUrl"]
    assert base != SANDBOX
    assert re.fullmatch(TEMPLATE["Parameters"]["AirKitBaseUrl"]["AllowedPattern"], base)


def test_the_template_refuses_air_kits_sandbox_for_prod() -> None:
    rule = TEMPLATE["Rules"]["ProdUsesAirKitProduction"]
    assert rule["RuleCondition"] == {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}
    (assertion,) = rule["Assertions"]
    assert assertion["Assert"] == {"Fn::Not": [{"Fn::Equals": [{"Ref": "AirKitBaseUrl"}, SANDBOX]}]}


def test_the_readme_says_how_to_deploy_air_kit_in_production() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### AIR Kit in production", 1)[1].split("\n## ", 1)[0]
    assert "sam deploy --config-env prod" in section
    for name in ("AirKitBaseUrl", "AirKitPartnerId", "AirKitKeyId", "AirKitIssuerDid", "AirKitCredentialId"):
        assert name in section, name
    assert _prod_overrides()["AirKitBaseUrl"] in section
