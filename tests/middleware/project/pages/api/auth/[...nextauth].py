from auth_options import auth_options

from nextauth import NextAuth

handler = NextAuth(auth_options)
