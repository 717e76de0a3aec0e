// The test page's one component: every next-auth/react call the browser tests make, with its outcome in the DOM.
//
// Every client call has a button; its outcome is written as JSON into <pre id="result-<name>"> whose
// data-seq attribute counts the calls that finished, so a test clicks, waits for data-seq to move on and
// reads exactly what next-auth/react returned. useSession() is rendered into #status, #status-history
// (each status the hook went through, in order) and #session.
//
// Rendered inside next-auth's SessionProvider by main.jsx (the esbuild bundle the Python server serves) and
// by tests/browser/nextjs/pages (the same component in a real Next.js app that rewrites /api/auth to Python).
import { useState } from "react";
import {
  getCsrfToken,
  getProviders,
  getSession,
  signIn,
  signOut,
  useSession,
} from "next-auth/react";

const statusHistory = [];

function json(value) {
  return JSON.stringify(value === undefined ? null : value);
}

function useResults() {
  const [results, setResults] = useState({});
  async function run(name, call) {
    let outcome;
    try {
      outcome = { state: "done", text: json(await call()) };
    } catch (error) {
      outcome = { state: "error", text: json({ name: error?.name, message: String(error?.message ?? error) }) };
    }
    setResults((previous) => ({ ...previous, [name]: { ...outcome, seq: (previous[name]?.seq ?? 0) + 1 } }));
  }
  function result(name) {
    const shown = results[name] ?? { state: "idle", text: "", seq: 0 };
    return (
      <pre id={`result-${name}`} data-state={shown.state} data-seq={shown.seq}>
        {shown.text}
      </pre>
    );
  }
  return [run, result];
}

function value(id) {
  return document.getElementById(id).value;
}

export default function Client() {
  const { data, status, update } = useSession();
  if (statusHistory[statusHistory.length - 1] !== status) statusHistory.push(status);
  const [run, result] = useResults();
  return (
    <main>
      <h1>next-auth/react against the Python server</h1>
      <section>
        <p>
          useSession: <output id="status">{status}</output> (history:{" "}
          <output id="status-history">{statusHistory.join(",")}</output>)
        </p>
        <pre id="session">{json(data)}</pre>
      </section>
      <section>
        <button id="get-providers" onClick={() => run("providers", () => getProviders())}>getProviders()</button>
        {result("providers")}
        <button id="get-csrf" onClick={() => run("csrf", () => getCsrfToken())}>getCsrfToken()</button>
        {result("csrf")}
        <button id="get-session" onClick={() => run("session", () => getSession())}>getSession()</button>
        {result("session")}
      </section>
      <section>
        <input id="username" placeholder="username" />
        <input id="password" placeholder="password" type="password" />
        <button
          id="signin-credentials"
          onClick={() =>
            run("signin", () =>
              signIn("credentials", { redirect: false, username: value("username"), password: value("password") }),
            )
          }
        >
          signIn("credentials", {"{redirect: false}"})
        </button>
        {result("signin")}
        <button id="signin-mock" onClick={() => run("signin-mock", () => signIn("mock"))}>signIn("mock")</button>
        {result("signin-mock")}
        <button id="signin-page" onClick={() => run("signin-page", () => signIn())}>signIn()</button>
      </section>
      <section>
        <input id="update-name" placeholder="new name" />
        <button id="update" onClick={() => run("update", () => update({ name: value("update-name") }))}>
          update({"{name}"})
        </button>
        {result("update")}
      </section>
      <section>
        <button id="signout" onClick={() => run("signout", () => signOut({ redirect: false }))}>
          signOut({"{redirect: false}"})
        </button>
        {result("signout")}
        <button id="signout-redirect" onClick={() => run("signout-redirect", () => signOut())}>signOut()</button>
      </section>
    </main>
  );
}
