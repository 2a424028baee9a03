// Bundles React, GraphiQL and the explorer plugin (pinned in package-lock.json) into static files
// inside the Python package, so the gateway serves GraphiQL with no CDN and no network at all.
//
//   cd tools/graphiql && npm ci && npm run build
//
// Output: mesh/gateway/graphiql_assets/{graphiql-HASH.js, graphiql-HASH.css, manifest.json}.
// The files are committed: a machine with only Python gets a working page.
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import * as esbuild from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const outdir = resolve(here, "../../mesh/gateway/graphiql_assets");

await mkdir(outdir, { recursive: true });
for (const name of await readdir(outdir)) {
  if (name.startsWith("graphiql-") || name === "manifest.json") await rm(join(outdir, name));
}

const result = await esbuild.build({
  entryPoints: { graphiql: join(here, "src/main.jsx") },
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  jsx: "automatic",
  loader: { ".js": "jsx" },
  entryNames: "[name]-[hash]",
  outdir,
  metafile: true,
  legalComments: "eof",
  define: { "process.env.NODE_ENV": '"production"' },
  logLevel: "warning",
});

const manifest = {};
for (const output of Object.keys(result.metafile.outputs)) {
  const name = basename(output);
  if (name.endsWith(".js")) manifest.script = name;
  if (name.endsWith(".css")) manifest.stylesheet = name;
}
if (!manifest.script || !manifest.stylesheet) {
  throw new Error(`esbuild produced ${Object.keys(result.metafile.outputs).join(", ")}`);
}
await writeFile(join(outdir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
console.log(`built ${manifest.script} and ${manifest.stylesheet} in ${outdir}`);
