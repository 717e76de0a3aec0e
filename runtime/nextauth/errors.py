"""Errors raised by the runtime.

Two vocabularies, as in next-auth: a *public code* (PascalCase, e.g. ``OAuthCallback``) is all a
browser ever sees, in an ``?error=`` query; a *log code* (SCREAMING_SNAKE, e.g.
``OAUTH_CALLBACK_ERROR``) goes to the server log together with the details.

    NextAuthError                       code
    ├── ConfigurationError              (the options are wrong; the message says how to fix them)
    │   ├── MissingSecretError          NO_SECRET
    │   ├── MissingAPIRouteError        MISSING_NEXTAUTH_API_ROUTE_ERROR
    │   ├── InvalidCallbackUrlError     INVALID_CALLBACK_URL_ERROR
    │   ├── UnsupportedStrategyError    CALLBACK_CREDENTIALS_JWT_ERROR
    │   ├── MissingAuthorizeError       CALLBACK_CREDENTIALS_HANDLER_ERROR
    │   ├── MissingAdapterError         EMAIL_REQUIRES_ADAPTER_ERROR
    │   ├── MissingAdapterMethodsError  MISSING_ADAPTER_METHODS_ERROR
    │   └── InvalidProviderError        INVALID_PROVIDER_ERROR
    ├── JWTError                        JWT_SESSION_ERROR
    │   ├── JWTExpiredError
    │   ├── JWEDecryptionFailedError
    │   └── JWEInvalidError
    ├── OAuthCallbackError              OAUTH_CALLBACK_ERROR
    ├── OAuthProfileParseError          OAUTH_PARSE_PROFILE_ERROR
    ├── EmailDeliveryError              EMAIL_DELIVERY_ERROR (logged under SIGNIN_EMAIL_ERROR)
    ├── AccountNotLinkedError           (public OAuthAccountNotLinked)
    └── AdapterError                    adapter_error_<method> (``name`` is e.g. ``CreateUserError``)

No message here ever contains a secret, a token or a cookie value.
"""

from __future__ import annotations

__all__ = [
    "AccountNotLinkedError",
    "AdapterError",
    "ConfigurationError",
    "EmailDeliveryError",
    "InvalidCallbackUrlError",
    "InvalidProviderError",
    "JWEDecryptionFailedError",
    "JWEInvalidError",
    "JWTError",
    "JWTExpiredError",
    "MissingAPIRouteError",
    "MissingAdapterError",
    "MissingAdapterMethodsError",
    "MissingAuthorizeError",
    "MissingSecretError",
    "NextAuthError",
    "OAuthCallbackError",
    "OAuthProfileParseError",
    "UnsupportedStrategyError",
]


class NextAuthError(Exception):
    """Base class of every runtime error; ``code`` is the log code."""

    code: str = "NEXTAUTH_ERROR"

    def __init__(self, message: str = "", *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        return str(self)


class ConfigurationError(NextAuthError, ValueError):
    """The options cannot work; the message names the fix. Users see only a generic server error."""

    code = "CONFIGURATION_ERROR"


class MissingSecretError(ConfigurationError):
    code = "NO_SECRET"


class MissingAPIRouteError(ConfigurationError):
    code = "MISSING_NEXTAUTH_API_ROUTE_ERROR"


class InvalidCallbackUrlError(ConfigurationError):
    code = "INVALID_CALLBACK_URL_ERROR"


class UnsupportedStrategyError(ConfigurationError):
    code = "CALLBACK_CREDENTIALS_JWT_ERROR"


class MissingAuthorizeError(ConfigurationError):
    code = "CALLBACK_CREDENTIALS_HANDLER_ERROR"


class MissingAdapterError(ConfigurationError):
    code = "EMAIL_REQUIRES_ADAPTER_ERROR"


class MissingAdapterMethodsError(ConfigurationError):
    """The adapter lacks methods the configured features call. ``missing`` names them (Python names, in the
    order the features list them); ``features`` maps each feature to its missing methods."""

    code = "MISSING_ADAPTER_METHODS_ERROR"

    def __init__(self, message: str = "", *, features: dict[str, tuple[str, ...]] | None = None) -> None:
        super().__init__(message)
        self.features: dict[str, tuple[str, ...]] = dict(features or {})
        self.missing: tuple[str, ...] = tuple(dict.fromkeys(m for ms in self.features.values() for m in ms))


class InvalidProviderError(ConfigurationError):
    code = "INVALID_PROVIDER_ERROR"


class JWTError(NextAuthError):
    """A session or check token could not be decoded."""

    code = "JWT_SESSION_ERROR"


class JWTExpiredError(JWTError):
    pass


class JWEDecryptionFailedError(JWTError):
    pass


class JWEInvalidError(JWTError):
    pass


class OAuthCallbackError(NextAuthError):
    """Anything that failed between the provider's redirect back and a parsed profile."""

    code = "OAUTH_CALLBACK_ERROR"


class OAuthProfileParseError(NextAuthError):
    code = "OAUTH_PARSE_PROFILE_ERROR"


class EmailDeliveryError(NextAuthError):
    """The sign-in email could not be handed to the SMTP server. The message never holds the password."""

    code = "EMAIL_DELIVERY_ERROR"


class AccountNotLinkedError(NextAuthError):
    code = "OAUTH_CALLBACK_HANDLER_ERROR"


class AdapterError(NextAuthError):
    """An adapter method raised; ``name`` follows next-auth (``CreateUserError`` for ``create_user``)."""

    def __init__(self, method: str, cause: BaseException) -> None:
        super().__init__(f"{method} failed: {type(cause).__name__}: {cause}", code=f"adapter_error_{method}")
        self.method = method
        self.name = "".join(part.capitalize() for part in method.split("_")) + "Error"
        self.__cause__ = cause
