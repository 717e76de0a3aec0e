"""Time to render each built-in page, in microseconds per render (pure functions, no I/O).

    .venv/bin/python benchmarks/render_pages.py            # 10 000 renders per page
    .venv/bin/python benchmarks/render_pages.py -n 50000

The sign-in page is measured with the conformance configuration (credentials + one OAuth provider) and
with a larger one (two OAuth providers with logos and colours, email, credentials, an error message, a
brand theme). Best of three runs.
"""

from __future__ import annotations

import argparse
import platform
import sys
import timeit
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "runtime"))

from nextauth.options import ThemeOptions
from nextauth.pages import render_error, render_signin, render_signout, render_verify_request
from nextauth.providers import CredentialsProvider, EmailProvider, GitHubProvider, GoogleProvider, OAuthProvider

ORIGIN = "http://127.0.0.1:3000"
BASE = f"{ORIGIN}/api/auth"
CSRF = "0123456789abcdef" * 4


def cases() -> dict[str, Callable[[], object]]:
    theme = ThemeOptions()
    brand = ThemeOptions(brand_color="#0f766e", logo="/logo.svg", color_scheme="dark")
    credentials = CredentialsProvider(
        credentials={"username": {"label": "Username"}, "password": {"label": "Password", "type": "password"}}
    )
    mock = OAuthProvider(id="mock", name="Mock OIDC")
    many = [
        GitHubProvider(client_id="i", client_secret="s"),
        GoogleProvider(client_id="i", client_secret="s"),
        EmailProvider(),
        credentials,
    ]
    return {
        "signin (credentials + oauth)": lambda: render_signin(
            base=BASE,
            providers=[credentials, mock],
            csrf_token=CSRF,
            callback_url=ORIGIN,
            email=None,
            error=None,
            theme=theme,
        ),
        "signin (4 providers, error, theme)": lambda: render_signin(
            base=BASE,
            providers=many,
            csrf_token=CSRF,
            callback_url=f"{ORIGIN}/dashboard?tab=1&x=<y>",
            email="someone@example.com",
            error="OAuthAccountNotLinked",
            theme=brand,
        ),
        "signout": lambda: render_signout(base=BASE, csrf_token=CSRF, theme=theme),
        "error (AccessDenied)": lambda: render_error(base=BASE, origin=ORIGIN, error="AccessDenied", theme=theme),
        "error (default)": lambda: render_error(base=BASE, origin=ORIGIN, error=None, theme=theme),
        "verify-request": lambda: render_verify_request(origin=ORIGIN, theme=theme),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--number", type=int, default=10_000, help="renders per page per run")
    args = parser.parse_args()
    print(f"Python {platform.python_version()} on {platform.machine()}, {args.number} renders per page, best of 3")
    for name, render in cases().items():
        size = len(str(render()))
        best = min(timeit.repeat(render, number=args.number, repeat=3))
        print(f"  {name:<36} {best / args.number * 1e6:7.1f} µs/render   ({size} bytes)")


if __name__ == "__main__":
    main()
