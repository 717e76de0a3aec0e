"""Options written as the docs and NextAuth.js examples write them: dicts for nested options, endpoints as URLs
or dicts. tests/runtime/test_options_typing.py runs ``mypy --strict`` on this file."""

from __future__ import annotations

from typing import Any

from nextauth import AuthOptions
from nextauth.env import auth_url, origin
from nextauth.options import SessionOptionsDict
from nextauth.providers.github import GitHubProvider
from nextauth.providers.oauth import Check, Endpoint, OAuthProvider


async def jwt(token: dict[str, Any], **_: Any) -> dict[str, Any]:
    return token


def on_sign_in(user: dict[str, Any], account: dict[str, Any] | None) -> None:
    print(user["id"], account)


checks: list[Check] = ["pkce", "state"]
session: SessionOptionsDict = {"strategy": "jwt", "max_age": 3600}

auth_options = AuthOptions(
    providers=[
        GitHubProvider(client_id="id", client_secret="secret", authorization={"params": {"scope": "read:user"}}),
        OAuthProvider(
            id="corp",
            name="Corp SSO",
            client_id="id",
            client_secret="secret",
            authorization={"url": "https://sso.example.com/authorize", "params": {"scope": "openid email"}},
            token="https://sso.example.com/token",
            userinfo=Endpoint(url="https://sso.example.com/userinfo"),
            checks=checks,
            style={"logo": "/corp.svg", "bgDark": "#000"},
        ),
        OAuthProvider(id="mini", name="Mini", authorization={"params": {"prompt": "login"}}, checks="pkce"),
    ],
    session=session,
    jwt={"maxAge": 60 * 60},
    pages={"sign_in": "/login", "newUser": "/welcome"},
    callbacks={"jwt": jwt},
    events={"sign_in": on_sign_in},
    theme={"color_scheme": "dark", "brandColor": "#346df1"},
    logger={"error": print},
    cookies={"session_token": {"name": "sid", "options": {"http_only": True}}},
)

home: str = f"{origin()}/dashboard"
sign_in_page: str = f"{auth_url()}/signin"
