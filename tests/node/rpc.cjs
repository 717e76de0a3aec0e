// The real next-auth 4.24.15 as a line-oriented JSON service for tests/interop.
//
// Run as `node rpc.cjs` with NEXTAUTH_TEST_NODE_MODULES pointing at a node_modules directory where
// `npm ci --omit=peer` installed this folder's package-lock.json. Each stdin line is a JSON request
// {"id", "op", ...args}; each answer is one stdout line {"id", "ok": true, "result"} or
// {"id", "ok": false, "error": {"name", "code", "message"}}.
//
// Operations:
//   encode   {token, secret, maxAge?, salt?}                   next-auth/jwt encode
//   decode   {token, secret, salt?}                            next-auth/jwt decode
//   getToken {cookies, headers, secret, secureCookie?, raw?}   next-auth/jwt getToken with a mock req
//   chunk    {name, secure, requestCookies, value, expires}    next-auth's SessionStore.chunk (what a sign-in
//                                                              writes), each cookie also serialised as a
//                                                              Set-Cookie line by the `cookie` package
//   clean    {name, secure, requestCookies}                    SessionStore.clean (what a sign-out writes)
//   v5encode {token, secret, maxAge?, salt}                    @auth/core/jwt encode (Auth.js v5, pinned 0.41.x,
//                                                              installed under the alias "authjs-core" because
//                                                              next-auth 4 names @auth/core 0.34 as a peer)
//   v5decode {token, secret, salt}                             @auth/core/jwt decode
//   v5getToken {cookie, secret, secureCookie?}                 @auth/core/jwt getToken with a Cookie header
"use strict";

const path = require("node:path");
const readline = require("node:readline");

const modules = process.env.NEXTAUTH_TEST_NODE_MODULES;
if (!modules) {
  process.stderr.write("NEXTAUTH_TEST_NODE_MODULES is not set\n");
  process.exit(2);
}
// Absolute paths: next-auth's package "exports" do not list its internal cookie module.
const jwt = require(path.join(modules, "next-auth", "jwt", "index.js"));
const { SessionStore } = require(path.join(modules, "next-auth", "core", "lib", "cookie.js"));
const cookie = require(path.join(modules, "cookie"));

const { pathToFileURL } = require("node:url");
let authjs = null; // @auth/core is ESM only: imported on first use
async function authjsJwt() {
  authjs ??= await import(pathToFileURL(path.join(modules, "authjs-core", "jwt.js")).href);
  return authjs;
}

const quietLogger = { debug() {}, warn() {}, error() {} };

function sessionOptions(secure) {
  return { httpOnly: true, sameSite: "lax", path: "/", secure: Boolean(secure) };
}

function describe(cookies) {
  return cookies.map((c) => ({
    name: c.name,
    value: c.value,
    maxAge: c.options.maxAge ?? null,
    setCookie: cookie.serialize(c.name, c.value, c.options),
  }));
}

const operations = {
  async encode({ token, secret, maxAge, salt }) {
    const params = { token, secret };
    if (maxAge !== undefined) params.maxAge = maxAge;
    if (salt !== undefined) params.salt = salt;
    return await jwt.encode(params);
  },
  async decode({ token, secret, salt }) {
    const params = { token, secret };
    if (salt !== undefined) params.salt = salt;
    return await jwt.decode(params);
  },
  async getToken({ cookies, headers, secret, secureCookie, raw }) {
    const params = { req: { cookies: cookies ?? {}, headers: headers ?? {} }, secret, logger: quietLogger };
    if (secureCookie !== undefined) params.secureCookie = secureCookie;
    if (raw !== undefined) params.raw = raw;
    return await jwt.getToken(params);
  },
  async chunk({ name, secure, requestCookies, value, expires }) {
    const store = new SessionStore(
      { name, options: sessionOptions(secure) },
      { cookies: requestCookies ?? {}, headers: {} },
      quietLogger,
    );
    return describe(store.chunk(value, { expires: new Date(expires) }));
  },
  async v5encode({ token, secret, maxAge, salt }) {
    const params = { token, secret, salt };
    if (maxAge !== undefined) params.maxAge = maxAge;
    return await (await authjsJwt()).encode(params);
  },
  async v5decode({ token, secret, salt }) {
    return await (await authjsJwt()).decode({ token, secret, salt });
  },
  async v5getToken({ cookie: header, secret, secureCookie }) {
    const params = { req: { headers: { cookie: header } }, secret, logger: quietLogger };
    if (secureCookie !== undefined) params.secureCookie = secureCookie;
    return await (await authjsJwt()).getToken(params);
  },
  async clean({ name, secure, requestCookies }) {
    const store = new SessionStore(
      { name, options: sessionOptions(secure) },
      { cookies: requestCookies ?? {}, headers: {} },
      quietLogger,
    );
    return describe(store.clean());
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
