"""Every request under /api/auth/: NextAuth's GET and POST route handlers."""

from __future__ import annotations

from auth_options import auth_options

from nextauth import NextAuth

handler = NextAuth(auth_options)

GET = handler
POST = handler
