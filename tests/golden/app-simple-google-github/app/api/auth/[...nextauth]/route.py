# Generated from nextauth.toml by `nextauth generate`; your edits survive regeneration.
"""Every request under /api/auth/: NextAuth's GET and POST route handlers."""

from __future__ import annotations

from nextauth import NextAuth

from auth_options import auth_options

handler = NextAuth(auth_options)

GET = handler
POST = handler
