"""The HTML actions: GET /signin, /signout, /verify-request and /error (or redirects to custom pages)."""

from __future__ import annotations

from nextauth._core.actions._common import html_response, with_query
from nextauth._core.init import Internal
from nextauth._lib.cookies import encode_uri_component
from nextauth._lib.types import AuthResponse

# Error codes shown inline on the sign-in page: GET /error bounces them there (even with pages.error).
SIGNIN_PAGE_ERRORS = frozenset(
    {
        "Signin",
        "OAuthSignin",
        "OAuthCallback",
        "OAuthCreateAccount",
        "EmailCreateAccount",
        "Callback",
        "OAuthAccountNotLinked",
        "EmailSignin",
        "CredentialsSignin",
        "SessionRequired",
    }
)


async def signin_page(internal: Internal) -> AuthResponse:
    pages = internal.options.pages
    error = internal.request.error
    if pages.sign_in:
        url = with_query(pages.sign_in, callbackUrl=encode_uri_component(internal.callback_url))
        if error:
            url = f"{url}&error={encode_uri_component(error)}"
        return AuthResponse(redirect=url)
    from nextauth.pages import render_signin

    query = internal.request.query
    # next-auth spreads the raw query over the page: ?callbackUrl= and ?csrfToken= reach the hidden inputs
    # (harmless: both are validated again when the form is posted).
    html = render_signin(
        base=internal.url.base,
        providers=internal.prepared.providers,
        csrf_token=query.get("csrfToken", internal.csrf_token),
        callback_url=query.get("callbackUrl", internal.callback_url),
        email=query.get("email"),
        error=query.get("error"),  # only ?error=: the page ignores the path form (/signin/<id>)
        theme=internal.options.theme,
    )
    return html_response(html)


async def signout_page(internal: Internal) -> AuthResponse:
    if internal.options.pages.sign_out:
        return AuthResponse(redirect=internal.options.pages.sign_out)
    from nextauth.pages import render_signout

    csrf = internal.request.query.get("csrfToken", internal.csrf_token)
    return html_response(render_signout(base=internal.url.base, csrf_token=csrf, theme=internal.options.theme))


async def verify_request_page(internal: Internal) -> AuthResponse:
    if internal.options.pages.verify_request:
        return AuthResponse(redirect=internal.options.pages.verify_request)
    from nextauth.pages import render_verify_request

    return html_response(render_verify_request(origin=internal.url.origin, theme=internal.options.theme))


async def error_page(internal: Internal) -> AuthResponse:
    error = internal.request.error
    if error in SIGNIN_PAGE_ERRORS:
        return AuthResponse(redirect=f"{internal.url.base}/signin?error={error}")
    pages = internal.options.pages
    if pages.error:
        return AuthResponse(redirect=with_query(pages.error, error=error if error is not None else "undefined"))
    return render_error_page(internal, error)


def render_error_page(internal: Internal, error: str | None) -> AuthResponse:
    from nextauth.pages import render_error

    status, html = render_error(
        base=internal.url.base, origin=internal.url.origin, error=error, theme=internal.options.theme
    )
    return html_response(html, status=status)
