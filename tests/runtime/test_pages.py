"""The built-in pages: golden fingerprints of the real next-auth, escaping, statuses, theme, providers, browser."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from pagekit import REPO, GoldenPage, Markup, fingerprint, golden_pages

from nextauth.options import ThemeOptions
from nextauth.pages import render_error, render_signin, render_signout, render_verify_request
from nextauth.providers import CredentialsProvider, EmailProvider, GitHubProvider, OAuthProvider, Provider

ORIGIN = "http://127.0.0.1:3000"
BASE = f"{ORIGIN}/api/auth"
CSRF = "0123456789abcdef" * 4
HOSTILE = "\"><script>alert(1)</script><img src=x onerror=alert(2)>'&amp;"

# The conformance configuration (options.md): credentials first, then the mock OIDC provider.
CREDENTIALS = CredentialsProvider(
    credentials={
        "username": {"label": "Username", "type": "text"},
        "password": {"label": "Password", "type": "password"},
    }
)
MOCK = OAuthProvider(
    id="mock",
    name="Mock OIDC",
    well_known="http://127.0.0.1:9400/.well-known/openid-configuration",
    client_id="client",
    client_secret="secret",
    checks=["pkce", "state"],
)


def signin(providers: list[Provider] | None = None, **kwargs: Any) -> str:
    values: dict[str, Any] = {
        "base": BASE,
        "providers": [CREDENTIALS, MOCK] if providers is None else providers,
        "csrf_token": CSRF,
        "callback_url": ORIGIN,
        "email": None,
        "error": None,
        "theme": ThemeOptions(),
    }
    values.update(kwargs)
    return render_signin(**values)


def render_golden(page: GoldenPage) -> tuple[int | None, str]:
    """Render what the core renders for the recorded request (the core resolves callbackUrl; the golden shows it)."""
    theme = ThemeOptions()
    base = f"{page.base}/api/auth"
    if page.status == 500:  # a configuration error answered with the error page, whatever the action
        return render_error(base=base, origin=page.base, error="configuration", theme=theme)
    if page.action == "signin":
        html = render_signin(
            base=base,
            providers=[CREDENTIALS, MOCK],
            csrf_token=CSRF,
            callback_url=page.hidden("callbackUrl") or "",
            email=page.query.get("email"),
            error=page.query.get("error"),
            theme=theme,
        )
        return None, html
    if page.action == "signout":
        return None, render_signout(base=base, csrf_token=CSRF, theme=theme)
    if page.action == "error":
        return render_error(base=base, origin=page.base, error=page.query.get("error", page.segment), theme=theme)
    assert page.action == "verify-request", page.id
    return None, render_verify_request(origin=page.base, theme=theme)


GOLDEN = golden_pages()


def test_goldens_cover_every_page() -> None:
    assert {p.action for p in GOLDEN} == {"signin", "signout", "error", "verify-request"}
    assert len(GOLDEN) >= 60


@pytest.mark.parametrize("page", [pytest.param(p, id=p.id) for p in GOLDEN])
def test_golden_fingerprint(page: GoldenPage) -> None:
    status, html = render_golden(page)
    assert fingerprint(html, base=page.base) == page.lines
    if status is not None:
        assert status == page.status


# ----------------------------------------------------------------------------- escaping


def test_hostile_query_values_stay_attribute_values() -> None:
    html = signin(
        providers=[EmailProvider(), CREDENTIALS, MOCK],
        csrf_token=HOSTILE,
        callback_url=HOSTILE,
        email=HOSTILE,
        error=HOSTILE,
    )
    doc = Markup(html)
    assert "script" not in doc.tags()
    assert not any(name.startswith("on") for _, attrs in doc.elements for name in attrs)
    assert [a["value"] for a in doc.find("input", name="csrfToken")] == [HOSTILE] * 3
    assert [a["value"] for a in doc.find("input", name="callbackUrl")] == [HOSTILE]
    assert [a["value"] for a in doc.find("input", name="email")] == [HOSTILE]
    assert "alert" not in "".join(doc.text)  # the error code picks a fixed message; it is never echoed
    assert fingerprint(html, base=ORIGIN)[2:4] == ["div.error", "p: Unable to sign in."]


def test_hostile_values_on_every_page() -> None:
    hostile_base = f"{ORIGIN}/{HOSTILE}"
    theme = ThemeOptions(logo=HOSTILE, brand_color=HOSTILE, button_text="red;}</style><script>x()</script>")
    provider = OAuthProvider(id=HOSTILE, name=HOSTILE, style={"logo": HOSTILE, "bg": "red;background:url(x)"})
    credentials = CredentialsProvider(
        id="c", credentials={HOSTILE: {"label": HOSTILE, "placeholder": HOSTILE, "onfocus": "alert(3)"}}
    )
    pages = [
        signin(providers=[provider, credentials], base=hostile_base, csrf_token=HOSTILE, theme=theme),
        render_signout(base=hostile_base, csrf_token=HOSTILE, theme=theme),
        render_verify_request(origin=hostile_base, theme=theme),
        *(render_error(base=hostile_base, origin=hostile_base, error=e, theme=theme)[1] for e in (None, HOSTILE)),
        *(render_error(base=hostile_base, origin=hostile_base, error=e, theme=theme)[1] for e in ("AccessDenied",)),
    ]
    for html in pages:
        doc = Markup(html)
        assert "script" not in doc.tags()
        assert not any(name.startswith("on") for _, attrs in doc.elements for name in attrs)
        assert html.count("</style>") == 1
        style = html[html.index("<style>") : html.index("</style>")]
        assert style.count(":root{") == 1  # unsafe colours are dropped (no theme block), not escaped into CSS
        assert [a["src"] for a in doc.find("img", **{"class": "logo"})] == [HOSTILE]
    doc = Markup(pages[0])
    assert doc.find("form")[0]["action"] == f"{hostile_base}/signin/{HOSTILE}"
    assert doc.find("label")[0]["for"] == f"input-{HOSTILE}-for-c-provider"
    assert doc.find("input", name=HOSTILE)[0]["placeholder"] == HOSTILE
    assert "style" not in doc.find("button")[0]  # "red;background:url(x)" is not a plain colour


# ----------------------------------------------------------------------------- error page


@pytest.mark.parametrize(
    ("error", "status", "heading"),
    [
        pytest.param("Configuration", 500, "Server error", id="Configuration"),
        pytest.param("configuration", 500, "Server error", id="configuration-lower"),
        pytest.param("AccessDenied", 403, "Access Denied", id="AccessDenied"),
        pytest.param("ACCESSDENIED", 403, "Access Denied", id="accessdenied-upper"),
        pytest.param("Verification", 403, "Unable to sign in", id="Verification"),
        pytest.param("verification", 403, "Unable to sign in", id="verification-lower"),
        pytest.param("Default", 200, "Error", id="Default"),
        pytest.param("OAuthSignin", 200, "Error", id="signin-page-code"),
        pytest.param("Custom failure", 200, "Error", id="thrown-message"),
        pytest.param("", 200, "Error", id="empty"),
        pytest.param(None, 200, "Error", id="missing"),
    ],
)
def test_error_page_status_and_heading(error: str | None, status: int, heading: str) -> None:
    got, html = render_error(base=BASE, origin=ORIGIN, error=error, theme=ThemeOptions())
    assert got == status
    lines = fingerprint(html, base=ORIGIN)
    assert lines[:4] == ["title: Error", "body class=__next-auth-theme-auto", "div.error", f"h1: {heading}"]
    if status == 200 and error:
        assert error not in html.split("</style>", 1)[1]  # the code itself is never echoed


def test_default_error_and_verify_request_show_host_without_default_port() -> None:
    _, html = render_error(
        base="https://example.com/api/auth", origin="https://example.com:443", error=None, theme=ThemeOptions()
    )
    assert fingerprint(html, base="http://unused")[-2:] == [
        "p: example.com",
        "a href=https://example.com:443: example.com",
    ]
    html = render_verify_request(origin="http://[::1]:8000", theme=ThemeOptions())
    assert fingerprint(html, base="http://unused")[-1] == "a href=http://[::1]:8000: [::1]:8000"


# ----------------------------------------------------------------------------- theme


@pytest.mark.parametrize(
    ("scheme", "body_class", "meta"),
    [
        ("auto", "auto", "light dark"),
        ("light", "light", "light"),
        ("dark", "dark", "dark"),
        ("neon", "auto", "light dark"),
    ],
)
def test_color_scheme(scheme: str, body_class: str, meta: str) -> None:
    theme = ThemeOptions(color_scheme=scheme)  # type: ignore[arg-type]  # "neon" is deliberately invalid
    for html in (
        signin(theme=theme),
        render_signout(base=BASE, csrf_token=CSRF, theme=theme),
        render_verify_request(origin=ORIGIN, theme=theme),
        render_error(base=BASE, origin=ORIGIN, error=None, theme=theme)[1],
    ):
        doc = Markup(html)
        assert doc.find("body") == [{"class": f"__next-auth-theme-{body_class}"}]
        assert doc.find("meta", name="color-scheme")[0]["content"] == meta
    css = html[html.index("<style>") :]
    assert "@media (prefers-color-scheme:dark){.__next-auth-theme-auto{" in css
    assert ".__next-auth-theme-dark{" in css


def test_brand_colour_button_text_and_logo() -> None:
    theme = ThemeOptions(brand_color="#e11d48", button_text="rgb(255 255 255 / 90%)", logo="/brand.svg")
    html = render_signout(base=BASE, csrf_token=CSRF, theme=theme)
    style = html[html.index("<style>") : html.index("</style>")]
    assert style.endswith(":root{--brand:#e11d48;--brand-fg:rgb(255 255 255 / 90%)}")
    doc = Markup(html)
    assert doc.find("img") == [{"class": "logo", "src": "/brand.svg", "alt": ""}]
    assert "primary" in (doc.find("button", id="submitButton")[0]["class"] or "")
    assert style.count(":root{") == 2
    plain = render_signout(base=BASE, csrf_token=CSRF, theme=ThemeOptions())
    assert plain.split("</style>")[0].count(":root{") == 1
    assert "<img" not in plain


def test_stylesheet_is_small_and_inline() -> None:
    html = signin()
    style = html[html.index("<style>") : html.index("</style>")]
    assert len(style) < 6000
    assert "url(" not in style and "@import" not in style
    assert "<script" not in html and "<link" not in html


# ----------------------------------------------------------------------------- providers


def _layout(html: str) -> list[str]:
    """The card's sequence of forms (by action) and separators."""
    card = html[html.index('<div class="card">') :]
    return re.findall(r'<hr>|action="([^"]*)"', card.replace("<hr>", 'action="hr"'))


def test_providers_in_configuration_order_with_separators() -> None:
    first = OAuthProvider(id="first", name="First")
    last = OAuthProvider(id="last", name="Last", type="oidc")
    guest = CredentialsProvider(id="guest", name="Guest")
    html = signin(providers=[first, EmailProvider(), CREDENTIALS, guest, last])
    assert _layout(html) == [
        f"{BASE}/signin/first",
        "hr",
        f"{BASE}/signin/email",
        "hr",
        f"{BASE}/callback/credentials",
        "hr",
        f"{BASE}/callback/guest",
        "hr",
        f"{BASE}/signin/last",
    ]
    assert _layout(signin(providers=[CREDENTIALS, MOCK])) == [
        f"{BASE}/callback/credentials",
        "hr",
        f"{BASE}/signin/mock",
    ]
    assert _layout(signin(providers=[MOCK, CREDENTIALS])) == [
        f"{BASE}/signin/mock",
        "hr",
        f"{BASE}/callback/credentials",
    ]
    assert _layout(signin(providers=[MOCK, first])) == [f"{BASE}/signin/mock", f"{BASE}/signin/first"]


def test_credentials_provider_shown_unless_credentials_is_none() -> None:
    # next-auth renders a credentials provider when `credentials` is truthy in JavaScript, and `{}` is truthy:
    # an empty dict gives a button-only form ("sign in as guest"); only a missing object hides it.
    guest = CredentialsProvider(id="guest", name="Guest")
    assert fingerprint(signin(providers=[guest]), base=ORIGIN)[2:] == [
        "form POST {BASE}/api/auth/callback/guest",
        "  input type=hidden name=csrfToken value=<csrf#1>",
        "  button type=submit: Sign in with Guest",
    ]
    hidden = CredentialsProvider(id="hidden", name="Hidden", credentials=None)  # type: ignore[arg-type]
    assert _layout(signin(providers=[hidden, MOCK])) == [f"{BASE}/signin/mock"]
    assert _layout(signin(providers=[MOCK, hidden])) == [f"{BASE}/signin/mock"]
    assert _layout(signin(providers=[])) == []


def test_credentials_inputs_spread_their_attributes() -> None:
    provider = CredentialsProvider(
        id="pw",
        name="Password",
        credentials={
            "email": {"label": "E-mail", "type": "email", "placeholder": "you@example.com", "required": True},
            "password": {"type": "password", "autoComplete": "new-password", "minLength": 12, "onInput": "x()"},
            "otp": {"inputmode": "numeric", "value": "12", "disabled": False, "aria_label": "One-time code", "x": [1]},
        },
    )
    doc = Markup(signin(providers=[provider]))
    assert doc.find("input", name="email") == [
        {
            "name": "email",
            "id": "input-email-for-pw-provider",
            "type": "email",
            "placeholder": "you@example.com",
            "required": None,
            "autocomplete": "email",
        }
    ]
    assert doc.find("input", name="password") == [
        {
            "name": "password",
            "id": "input-password-for-pw-provider",
            "type": "password",
            "placeholder": "",
            "autocomplete": "new-password",
            "minlength": "12",
        }
    ]
    assert doc.find("input", name="otp") == [
        {
            "name": "otp",
            "id": "input-otp-for-pw-provider",
            "type": "text",
            "placeholder": "",
            "inputmode": "numeric",
            "value": "12",
            "aria-label": "One-time code",
        }
    ]
    labels = [line for line in fingerprint(signin(providers=[provider]), base=ORIGIN) if "label" in line]
    assert labels == [
        "  label for=input-email-for-pw-provider: E-mail",
        "  label for=input-password-for-pw-provider: password",
        "  label for=input-otp-for-pw-provider: otp",
    ]
    assert not doc.find("input", name="callbackUrl")


def test_email_form() -> None:
    lines = fingerprint(signin(providers=[EmailProvider(id="magic", name="Magic link")], email="a@b.co"), base=ORIGIN)
    assert lines[2:] == [
        "form POST {BASE}/api/auth/signin/magic",
        "  input type=hidden name=csrfToken value=<csrf#1>",
        "  label for=input-email-for-magic-provider: Email",
        "  input type=email name=email value=a@b.co id=input-email-for-magic-provider"
        " placeholder=email@example.com required",
        "  button type=submit id=submitButton: Sign in with Magic link",
    ]
    doc = Markup(signin(providers=[EmailProvider()]))
    assert "value" not in doc.find("input", name="email")[0]


def test_oauth_button_logos_and_colours() -> None:
    github = GitHubProvider(client_id="id", client_secret="secret")
    custom = OAuthProvider(
        id="acme", name="Acme", style={"logo": "https://cdn.example/a.svg", "logoDark": "/acme-dark.svg", "bg": "#fff"}
    )
    html = signin(providers=[github, custom], callback_url="")
    doc = Markup(html)
    images = doc.find("img")
    assert [(i["class"], i["src"], i["alt"]) for i in images] == [
        ("logo-light", "https://authjs.dev/img/providers/github.svg", ""),
        ("logo-dark", "https://authjs.dev/img/providers/github.svg", ""),
        ("logo-light", "https://cdn.example/a.svg", ""),
        ("logo-dark", "https://authjs.dev/img/providers/acme-dark.svg", ""),
    ]
    assert all(i["width"] == "24" and i["height"] == "24" and i["referrerpolicy"] == "no-referrer" for i in images)
    styles = [b["style"] for b in doc.find("button")]
    assert styles == [
        "--p-bg:#24292f;--p-fg:#fff;--p-bg-dark:#24292f;--p-fg-dark:#fff",
        "--p-bg:#fff;--p-bg-dark:#fff",
    ]
    assert not doc.find("input", name="callbackUrl")  # an empty callbackUrl is left out, as next-auth does
    lines = fingerprint(html, base=ORIGIN)
    assert lines[lines.index("form POST {BASE}/api/auth/signin/github") :][1:5] == [
        "  input type=hidden name=csrfToken value=<csrf#1>",
        "  button type=submit: Sign in with GitHub",
        "  img src=https://authjs.dev/img/providers/github.svg",
        "  img src=https://authjs.dev/img/providers/github.svg",
    ]


def test_unknown_provider_type_is_not_rendered() -> None:
    odd = Provider(id="odd", name="Odd", type="webauthn")  # type: ignore[arg-type]  # not a v4 type
    assert _layout(signin(providers=[odd, MOCK])) == [f"{BASE}/signin/mock"]


# ----------------------------------------------------------------------------- browser

ARTIFACTS = REPO / "tests" / "artifacts" / "pages"
CHROMIUM = "/usr/bin/chromium"


def _browser_pages() -> dict[str, str]:
    theme = ThemeOptions(logo="https://logo.invalid/brand.png", brand_color="#0f766e")
    providers: list[Provider] = [GitHubProvider(client_id="i", client_secret="s"), EmailProvider(), CREDENTIALS, MOCK]
    return {
        "signin": signin(providers=providers, error="CredentialsSignin", theme=theme),
        "signout": render_signout(base=BASE, csrf_token=CSRF, theme=theme),
        "error": render_error(base=BASE, origin=ORIGIN, error="AccessDenied", theme=theme)[1],
        "verify-request": render_verify_request(origin=ORIGIN, theme=theme),
    }


@pytest.mark.slow
@pytest.mark.browser
def test_pages_render_in_chromium(tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        pytest.fail(f"{CHROMIUM} is missing: install it with `apt-get install -y chromium` (CI installs it)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
    args += ["--no-first-run", "--disable-sync"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
        try:
            for name, html in _browser_pages().items():
                path = tmp_path / f"{name}.html"
                path.write_text(html, encoding="utf-8")
                for scheme, width in (("light", 1000), ("dark", 1000), ("light", 360)):
                    page = browser.new_page(viewport={"width": width, "height": 800}, color_scheme=scheme)  # type: ignore[arg-type]
                    problems: list[str] = []
                    page.on("console", lambda m, out=problems: out.append(m.text) if m.type == "error" else None)
                    page.on("pageerror", lambda e, out=problems: out.append(str(e)))
                    page.goto(path.as_uri(), wait_until="load")
                    page.screenshot(path=str(ARTIFACTS / f"{name}-{scheme}-{width}.png"), full_page=True)
                    # Only the (unreachable) logos may fail, and they must not show a broken-image icon.
                    assert all("Failed to load resource" in m for m in problems), problems
                    for control in page.locator("input:not([type=hidden]), button, a.button").all():
                        assert control.is_visible(), control.evaluate("e => e.outerHTML")
                    box = page.locator(".card").bounding_box()
                    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
                    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
                    assert not overflow, f"{name} scrolls sideways at {width}px"
                    if name == "signin":
                        # The unreachable GitHub logo leaves the button exactly as if it had no image.
                        page.wait_for_function(
                            "[...document.querySelectorAll('.provider-btn img')]"
                            ".filter(i => i.checkVisibility()).every(i => i.complete)"
                        )
                        button = page.locator(".provider-btn").first
                        with_logo = button.screenshot()
                        page.add_style_tag(content=".provider-btn img{visibility:hidden}")
                        assert button.screenshot() == with_logo, "a broken logo shows in the button"
                    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
                    dark = background == "rgb(22, 27, 34)"  # next-auth's dark page colour, #161b22
                    assert dark == (scheme == "dark"), (name, scheme, background)
                    page.close()
        finally:
            browser.close()
