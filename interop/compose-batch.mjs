#!/usr/bin/env node
// Compose many subgraph sets with Apollo's reference composition in one process.
//
//   node compose-batch.mjs < cases.json > results.json
//
// Input: a JSON array of {"id": "...", "subgraphs": [{"name", "url", "sdl"}]}.
// Output: a JSON array of {"id", "ok", "errors": [{code, message, subgraphs}],
// "hints": [{code, message}], "supergraph": SDL or null}, in input order. A set whose SDL
// does not parse reports INVALID_GRAPHQL (as Apollo's buildSubgraph does); a crash of the library reports INTERNAL.

import { composeServices } from "@apollo/composition";
import { errorCode } from "@apollo/federation-internals";
import { parse } from "graphql";

function subgraphsNamedBy(error) {
  const names = new Set();
  for (const node of error.nodes ?? []) {
    if (node?.subgraph) {
      names.add(node.subgraph);
    }
  }
  return [...names];
}

function composeCase({ id, subgraphs }) {
  const services = [];
  for (const { name, url, sdl } of subgraphs) {
    try {
      services.push({ name, url: url ?? "", typeDefs: parse(sdl) });
    } catch (err) {
      // Apollo's buildSubgraph reports unparseable SDL as INVALID_GRAPHQL.
      return {
        id,
        ok: false,
        errors: [{ code: "INVALID_GRAPHQL", message: `[${name}] ${err.message}`, subgraphs: [name] }],
        hints: [],
        supergraph: null,
      };
    }
  }
  try {
    const result = composeServices(services);
    if (result.errors) {
      return {
        id,
        ok: false,
        errors: result.errors.map((e) => ({
          code: errorCode(e) ?? e.extensions?.code ?? "UNKNOWN",
          message: e.message,
          subgraphs: subgraphsNamedBy(e),
        })),
        hints: [],
        supergraph: null,
      };
    }
    return {
      id,
      ok: true,
      errors: [],
      hints: result.hints.map((h) => ({ code: h.definition.code, message: h.message })),
      supergraph: result.supergraphSdl,
    };
  } catch (err) {
    return {
      id,
      ok: false,
      errors: [{ code: "INTERNAL", message: String(err?.stack ?? err) }],
      hints: [],
      supergraph: null,
    };
  }
}

const chunks = [];
for await (const chunk of process.stdin) {
  chunks.push(chunk);
}
const cases = JSON.parse(Buffer.concat(chunks).toString("utf8"));
process.stdout.write(JSON.stringify(cases.map(composeCase)));
