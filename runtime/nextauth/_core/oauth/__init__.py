"""OAuth 2.0 / OpenID Connect mechanics: discovery, check cookies, authorization URL, code exchange."""
