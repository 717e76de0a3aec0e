// The real next-auth 4.24.15 on the Node side of the cross-language session tests, as a line-oriented JSON service.
//
// Run as `node nextauth-rpc.cjs` with NEXTAUTH_TEST_NODE_MODULES pointing at this folder's installed node_modules.
// Each stdin line is a JSON request {"id", "op", ...args}; each answer is one stdout line
// {"id", "ok": true, "result"} or {"id", "ok": false, "error": {"name", "code", "message"}}.
//
// The auth options mirror tests/browser/project/auth_options.py: a credentials provider (alice or big, password
// "wonderland"; big's token carries a 6000-character claim), a jwt callback that honours update(), a session
// callback that shows the token's name and sub.
//
// Operations (`url` is NEXTAUTH_URL, `secret` the shared secret):
//   handle           {url, secret, method, nextauth: [...], query?, body?, cookies?, headers?}
//                    next-auth's own Next.js API route handler, NextAuth(req, res, options), with a request and
//                    response shaped as Next.js's: {status, headers, setCookies: [Set-Cookie lines], body, redirect}
//   getServerSession {url, secret, cookies, headers?}  next-auth/next getServerSession(req, res, options):
//                    {session, setCookies}
//   getToken         {secret, cookies, headers?, secureCookie?, raw?}  next-auth/jwt getToken
"use strict";

const path = require("node:path");
const readline = require("node:readline");

const modules = process.env.NEXTAUTH_TEST_NODE_MODULES;
if (!modules) {
  process.stderr.write("NEXTAUTH_TEST_NODE_MODULES is not set\n");
  process.exit(2);
}
const load = (name) => require(path.join(modules, name));
const NextAuth = load("next-auth").default;
const { getServerSession } = load("next-auth/next");
const { getToken } = load("next-auth/jwt");
const CredentialsProvider = load("next-auth/providers/credentials").default;

const PASSWORD = "wonderland";
const USERS = {
  alice: { id: "1", name: "Alice", email: "alice@example.com" },
  big: { id: "2", name: "Big", email: "big@example.com", big: true },
};
const BLOB_SIZE = 6000;
const quietLogger = { debug() {}, warn() {}, error() {} };

function authOptions(secret) {
  return {
    secret,
    logger: quietLogger,
    session: { strategy: "jwt" },
    providers: [
      CredentialsProvider({
        name: "Credentials",
        credentials: {
          username: { label: "Username", type: "text" },
          password: { label: "Password", type: "password" },
        },
        async authorize(credentials) {
          const user = USERS[credentials?.username];
          return user && credentials.password === PASSWORD ? { ...user } : null;
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user, trigger, session }) {
        if (user?.big) token.blob = "b".repeat(BLOB_SIZE);
        if (trigger === "update" && typeof session?.name === "string") token.name = session.name;
        return token;
      },
      async session({ session, token }) {
        session.user.name = token.name;
        session.user.id = token.sub;
        return session;
      },
    },
  };
}

// A Node.js ServerResponse as Next.js extends it for API routes (status, json, send, redirect).
function mockResponse() {
  const headers = {};
  let resolve;
  const done = new Promise((r) => (resolve = r));
  const res = {
    statusCode: 200,
    body: undefined,
    getHeader: (name) => headers[name.toLowerCase()],
    setHeader(name, value) {
      headers[name.toLowerCase()] = value;
      return res;
    },
    status(code) {
      res.statusCode = code;
      return res;
    },
    json(value) {
      res.setHeader("Content-Type", "application/json");
      res.body = value;
      resolve();
      return res;
    },
    send(value) {
      res.body = value;
      resolve();
      return res;
    },
    end() {
      resolve();
      return res;
    },
  };
  return { res, headers, done };
}

function setCookieLines(headers) {
  const value = headers["set-cookie"];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function withUrl(url) {
  // next-auth reads NEXTAUTH_URL on every request (detectOrigin); the tests give it explicitly.
  process.env.NEXTAUTH_URL = url;
}

const operations = {
  async handle({ url, secret, method, nextauth, query, body, cookies, headers }) {
    withUrl(url);
    const host = new URL(url).host;
    const req = {
      method,
      query: { ...(query ?? {}), nextauth },
      body: body ?? {},
      cookies: cookies ?? {},
      headers: { host, ...(headers ?? {}) },
    };
    const { res, headers: out, done } = mockResponse();
    await NextAuth(req, res, authOptions(secret));
    await done;
    const { "set-cookie": _, ...rest } = out;
    return {
      status: res.statusCode,
      headers: rest,
      setCookies: setCookieLines(out),
      body: res.body ?? null,
      redirect: out.location ?? null,
    };
  },
  async getServerSession({ url, secret, cookies, headers }) {
    withUrl(url);
    const req = { cookies: cookies ?? {}, headers: { host: new URL(url).host, ...(headers ?? {}) } };
    const { res, headers: out } = mockResponse();
    const session = await getServerSession(req, res, authOptions(secret));
    return { session, setCookies: setCookieLines(out) };
  },
  async getToken({ secret, cookies, headers, secureCookie, raw }) {
    const params = { req: { cookies: cookies ?? {}, headers: headers ?? {} }, secret, logger: quietLogger };
    if (secureCookie !== undefined) params.secureCookie = secureCookie;
    if (raw !== undefined) params.raw = raw;
    return await getToken(params);
  },
};

const lines = readline.createInterface({ input: process.stdin });
lines.on("line", async (line) => {
  let request;
  try {
    request = JSON.parse(line);
  } catch (error) {
    process.stdout.write(JSON.stringify({ id: null, ok: false, error: { name: "SyntaxError", message: String(error) } }) + "\n");
    return;
  }
  const { id, op, ...args } = request;
  const operation = operations[op];
  try {
    if (!operation) throw new Error(`unknown op ${op}`);
    const result = await operation(args);
    process.stdout.write(JSON.stringify({ id, ok: true, result: result === undefined ? null : result }) + "\n");
  } catch (error) {
    const failure = { name: error?.name ?? "Error", code: error?.code ?? null, message: String(error?.message ?? error) };
    process.stdout.write(JSON.stringify({ id, ok: false, error: failure }) + "\n");
  }
});
