"""Doctor's online checks (``--online``): each provider's discovery document, and whether the server at
NEXTAUTH_URL answers JSON."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

from nextauth_cli._config_model import ProjectConfig, ProviderConfig
from nextauth_cli._doctor_report import Report


def _discovery_url(provider: ProviderConfig, env: Mapping[str, tuple[str, str]]) -> str | None:
    spec = provider.spec
    options = provider.options
    if isinstance(options.get("well_known"), str):
        return str(options["well_known"])
    if not spec.discovery:
        return None
    values = {var.kwarg: env.get(name, ("", ""))[0].strip() or (var.default or "") for var, name in provider.env_vars()}
    values.update({k: str(v) for k, v in options.items() if isinstance(v, str)})
    url = spec.discovery
    for key in ("issuer", "tenant_id"):
        if "{" + key + "}" in url:
            if not values.get(key):
                return None
            url = url.replace("{" + key + "}", values[key].rstrip("/"))
    return url


def check_online(report: Report, config: ProjectConfig, env: Mapping[str, tuple[str, str]]) -> None:
    import httpx

    with httpx.Client(timeout=5.0, follow_redirects=True, trust_env=True) as client:
        for provider in config.providers:
            url = _discovery_url(provider, env)
            if url is None:
                continue
            try:
                response = client.get(url)
                document = response.json() if response.status_code == 200 else None
            except (httpx.HTTPError, ValueError) as exc:
                report.add(
                    "discovery",
                    "error",
                    f"{provider.name}: cannot fetch {url}: {type(exc).__name__}",
                    "check the issuer, the network and any HTTPS_PROXY (the server will fail the same way)",
                )
                continue
            if not isinstance(document, dict) or "authorization_endpoint" not in document:
                report.add(
                    "discovery",
                    "error",
                    f"{provider.name}: {url} answered {response.status_code} without an OpenID configuration",
                    "check the issuer URL (a realm, tenant or application URL, not the server's)",
                )
                continue
            issuer = str(document.get("issuer", "")).rstrip("/")
            configured = url.split("/.well-known/")[0].rstrip("/")
            if issuer and configured and issuer != configured and "{tenant_id}" not in provider.spec.discovery:
                report.add(
                    "discovery",
                    "error",
                    f"{provider.name}: the discovery document's issuer is {issuer}, not {configured}: "
                    "ID tokens would fail validation",
                    f"set the issuer to {issuer}",
                )
                continue
            report.add("discovery", "ok", f"{provider.name}: discovery document fetched")
        value = env.get("NEXTAUTH_URL", ("", ""))[0].strip().rstrip("/")
        if value:
            base = value if urlsplit(value).path not in ("", "/") else value + config.base_path
            try:
                response = client.get(f"{base}/providers")
            except httpx.HTTPError:
                report.add("server", "info", f"no server answers at {base} (start it with `nextauth dev`)")
                return
            if "application/json" not in response.headers.get("content-type", ""):
                report.add(
                    "server",
                    "error",
                    f"{base}/providers answered {response.status_code} with {response.headers.get('content-type')!r}, "
                    "not JSON: clients would fail with CLIENT_FETCH_ERROR",
                    "check that the route file is served at the base path and NEXTAUTH_URL points at this server",
                )
            else:
                report.add("server", "ok", f"{base}/providers answers JSON")
