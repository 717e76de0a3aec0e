// Next.js serves the pages; the Python server answers /api/auth/* (and, here, /api/me) behind a rewrite, so the
// browser sees one origin: next-auth/react's default base path /api/auth works, and cookies are first-party.
const AUTH_BACKEND_URL = process.env.AUTH_BACKEND_URL ?? "http://127.0.0.1:8000";

/** @type {import('next').NextConfig} */
module.exports = {
  async rewrites() {
    return [
      { source: "/api/auth/:path*", destination: `${AUTH_BACKEND_URL}/api/auth/:path*` },
      { source: "/api/me", destination: `${AUTH_BACKEND_URL}/api/me` },
    ];
  },
};
