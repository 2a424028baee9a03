#!/usr/bin/env node
// @apollo/gateway 2.14 inside @apollo/server 5 (standalone HTTP server), serving a composed
// supergraph file: the way Apollo documents running a gateway from a supergraph SDL.
//
//   node apollo-gateway.mjs --supergraph FILE --port PORT [--host HOST]
//
// Parsed and validated documents and query plans are cached (Apollo Server's document store
// and the gateway's query plan store, both on by default); run with NODE_ENV=production.

import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

import { ApolloGateway } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";

const { values } = parseArgs({
  options: {
    supergraph: { type: "string" },
    port: { type: "string" },
    host: { type: "string", default: "127.0.0.1" },
  },
});
if (!values.supergraph || !values.port) {
  process.stderr.write("usage: node apollo-gateway.mjs --supergraph FILE --port PORT\n");
  process.exit(2);
}

const gateway = new ApolloGateway({
  supergraphSdl: readFileSync(values.supergraph, "utf8"),
});
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, {
  listen: { host: values.host, port: Number(values.port) },
});
process.stdout.write(`apollo gateway ready at ${url}\n`);

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, async () => {
    await server.stop();
    process.exit(0);
  });
}
