// Bundle src/main.jsx (React 18 + the real next-auth/react) into one static script with esbuild.
//
//   NEXTAUTH_TEST_NODE_MODULES=<node_modules> node build.mjs <outfile> <NEXTAUTH_URL>
//
// next-auth/react reads process.env.NEXTAUTH_URL (its base path), NEXTAUTH_URL_INTERNAL and VERCEL_URL, and
// React reads NODE_ENV: in a browser bundle they are constants, as Next.js inlines them at build time.
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const [outfile, nextauthUrl] = process.argv.slice(2);
const modules = process.env.NEXTAUTH_TEST_NODE_MODULES;
if (!outfile || !nextauthUrl || !modules) {
  console.error("usage: NEXTAUTH_TEST_NODE_MODULES=<node_modules> node build.mjs <outfile> <NEXTAUTH_URL>");
  process.exit(2);
}
const esbuild = createRequire(path.join(modules, "noop.js"))("esbuild");
const here = path.dirname(fileURLToPath(import.meta.url));

await esbuild.build({
  entryPoints: [path.join(here, "src", "main.jsx")],
  outfile,
  bundle: true,
  format: "iife",
  platform: "browser",
  target: "es2020",
  minify: true,
  jsx: "automatic",
  nodePaths: [modules],
  logLevel: "warning",
  define: {
    "process.env.NEXTAUTH_URL": JSON.stringify(nextauthUrl),
    "process.env.NEXTAUTH_URL_INTERNAL": "undefined",
    "process.env.VERCEL_URL": "undefined",
    "process.env.NODE_ENV": JSON.stringify("production"),
  },
});
