// Compose subgraphs with @theguild/federation-composition (the composer behind the Hive CLI),
// as installed in bench/peers (a dependency of @graphql-hive/gateway).
// stdin: {"subgraphs": [{"name", "url", "sdl"}]}; stdout: {"supergraph": SDL} or {"errors": [...]}.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "..", "..", "..", "bench", "peers", "package.json"));
const { composeServices } = require("@theguild/federation-composition");
const { parse } = require("graphql");

let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const { subgraphs } = JSON.parse(input);
  const result = composeServices(
    subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })),
  );
  if (result.errors && result.errors.length) {
    console.log(JSON.stringify({ errors: result.errors.map((e) => e.message) }));
  } else {
    console.log(JSON.stringify({ supergraph: result.supergraphSdl }));
  }
});
