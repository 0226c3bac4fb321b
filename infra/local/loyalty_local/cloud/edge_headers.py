"""The distribution's response-headers policies, as CloudFront applies them, for the local gateway.

template.yaml's WebDistribution gives each path pattern (its cache behaviours, in order, then the default) a
response-headers policy; CloudFront adds that policy's security headers to every answer of the behaviour, and
replaces the origin's own where the policy says `Override`. The local gateway reads the same definitions and does
the same, so a page served locally carries exactly the headers the deployed one does. Sources of a policy that
name a deployed resource the local stack does not have (the Cognito domain) are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

from loyalty_local.cloud.template import load_template

_UNRESOLVED = re.compile(r"\$\{[^}]+\}")


@dataclass(frozen=True)
class HeaderRule:
    value: str
    override: bool

    def resolved(self, local_sources: dict[str, str]) -> str:
        """The value with each source naming a deployed resource replaced by its local stand-in (the brand
        bucket's upload address → moto's S3), or left out when the local stack has none (the Cognito domain)."""
        if not _UNRESOLVED.search(self.value):
            return self.value
        directives = []
        for directive in self.value.split(";"):
            kept = [
                local_sources.get(part, "") if _UNRESOLVED.search(part) else part
                for part in directive.split()
            ]
            kept = [part for part in kept if part]
            if kept:
                directives.append(" ".join(dict.fromkeys(kept)))
        return "; ".join(directives)


def _csp(value: Any) -> str:
    return str(value["Fn::Sub"] if isinstance(value, dict) else value)


def policy_headers(policy: dict[str, Any]) -> dict[str, HeaderRule]:
    """A ResponseHeadersPolicyConfig's security headers, by header name."""
    config = policy.get("SecurityHeadersConfig", {})
    rules: dict[str, HeaderRule] = {}
    if "ContentSecurityPolicy" in config:
        csp = config["ContentSecurityPolicy"]
        rules["Content-Security-Policy"] = HeaderRule(
            _csp(csp["ContentSecurityPolicy"]), bool(csp["Override"])
        )
    if "ContentTypeOptions" in config:
        rules["X-Content-Type-Options"] = HeaderRule(
            "nosniff", bool(config["ContentTypeOptions"]["Override"])
        )
    if "FrameOptions" in config:
        frame = config["FrameOptions"]
        rules["X-Frame-Options"] = HeaderRule(str(frame["FrameOption"]), bool(frame["Override"]))
    if "ReferrerPolicy" in config:
        referrer = config["ReferrerPolicy"]
        rules["Referrer-Policy"] = HeaderRule(str(referrer["ReferrerPolicy"]), bool(referrer["Override"]))
    if "StrictTransportSecurity" in config:
        hsts = config["StrictTransportSecurity"]
        value = f"max-age={hsts['AccessControlMaxAgeSec']}"
        if hsts.get("IncludeSubdomains"):
            value += "; includeSubDomains"
        rules["Strict-Transport-Security"] = HeaderRule(value, bool(hsts["Override"]))
    return rules


@dataclass
class EdgeHeaders:
    behaviours: tuple[tuple[str, dict[str, HeaderRule]], ...]
    default: dict[str, HeaderRule]
    # A policy's source naming a deployed resource → the local address standing in for it (set by add-ons).
    local_sources: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_template(cls, template: dict[str, Any] | None = None) -> EdgeHeaders:
        resources = (template or load_template())["Resources"]
        config = resources["WebDistribution"]["Properties"]["DistributionConfig"]

        def rules(behaviour: dict[str, Any]) -> dict[str, HeaderRule]:
            reference = behaviour.get("ResponseHeadersPolicyId")
            if not isinstance(reference, dict) or "Ref" not in reference:
                return {}
            policy = resources[reference["Ref"]]["Properties"]["ResponseHeadersPolicyConfig"]
            return policy_headers(policy)

        behaviours = tuple((b["PathPattern"], rules(b)) for b in config.get("CacheBehaviors", []))
        return cls(behaviours, rules(config["DefaultCacheBehavior"]))

    def rules_for(self, path: str) -> dict[str, HeaderRule]:
        for pattern, rules in self.behaviours:
            if fnmatchcase(path, pattern):
                return rules
        return self.default

    def apply(self, path: str, headers: dict[str, str]) -> dict[str, str]:
        """The answer's headers as CloudFront would send them for `path`."""
        out = dict(headers)
        present = {name.lower(): name for name in out}
        for name, rule in self.rules_for(path).items():
            existing = present.get(name.lower())
            if existing is not None and not rule.override:
                continue
            if existing is not None:
                del out[existing]
            out[name] = rule.resolved(self.local_sources)
        return out
