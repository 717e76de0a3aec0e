# Generated from nextauth.toml by `nextauth generate`; your edits survive regeneration.
"""Every request under /api/auth/: the server calls ``handler(req, res)``."""

from __future__ import annotations

from nextauth import NextAuth

from auth_options import auth_options

handler = NextAuth(auth_options)
