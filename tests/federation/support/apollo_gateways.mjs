#!/usr/bin/env node
// Many @apollo/gateway instances in one Node process: one per supergraph, each on its own
// ephemeral port, so a corpus of cases costs one Node start, not one per case.
//
//   node apollo_gateways.mjs MANIFEST.json
//
// MANIFEST is [{"name": "...", "supergraph": "/path/supergraph.graphql"}, ...]. When all are
// up, prints one JSON line {"ready": {name: url}, "failed": {name: message}} on stdout.
// @apollo/gateway and @apollo/server are loaded from bench/peers (see its package.json).

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const peers = path.resolve(here, "../../../bench/peers");
const requireFromPeers = createRequire(path.join(peers, "package.json"));
const load = (name) => import(pathToFileURL(requireFromPeers.resolve(name)).href);

const { ApolloGateway } = await load("@apollo/gateway");
const { ApolloServer } = await load("@apollo/server");
const { startStandaloneServer } = await load("@apollo/server/standalone");

const manifest = JSON.parse(readFileSync(process.argv[2], "utf8"));
const servers = [];
const ready = {};
const failed = {};

for (const { name, supergraph } of manifest) {
  try {
    const gateway = new ApolloGateway({ supergraphSdl: readFileSync(supergraph, "utf8") });
    const server = new ApolloServer({
      gateway,
      introspection: true,
      includeStacktraceInErrorResponses: false,
    });
    const { url } = await startStandaloneServer(server, {
      listen: { host: "127.0.0.1", port: 0 },
    });
    servers.push(server);
    ready[name] = url;
  } catch (err) {
    failed[name] = String(err?.message ?? err);
  }
}
process.stdout.write(`${JSON.stringify({ ready, failed })}\n`);

async function stop() {
  await Promise.allSettled(servers.map((server) => server.stop()));
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
process.stdin.on("end", stop);
process.stdin.resume();
