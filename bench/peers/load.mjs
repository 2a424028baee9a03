#!/usr/bin/env node
// Drive one load round with autocannon and print its result as one JSON document.
//
//   node load.mjs CONFIG.json
//
// CONFIG: { url, headers, bodies: [string...], connections, duration }.
// Requests are POSTs; the i-th request sent (across all connections) carries
// bodies[i % bodies.length], so every gateway gets the same sequence of ids. A response
// whose body holds an "errors" member is counted in graphqlErrors.

import { readFileSync } from "node:fs";

import autocannon from "autocannon";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
let sent = 0;
let graphqlErrors = 0;
let firstError = null;

const result = await autocannon({
  url: config.url,
  connections: config.connections,
  duration: config.duration,
  method: "POST",
  headers: { "content-type": "application/json", ...config.headers },
  requests: [
    {
      setupRequest: (request) => {
        request.body = config.bodies[sent % config.bodies.length];
        sent += 1;
        return request;
      },
      onResponse: (status, body) => {
        if (status === 200 && body.includes('"errors"')) {
          graphqlErrors += 1;
          if (firstError === null) firstError = body.slice(0, 500);
        }
      },
    },
  ],
});
process.stdout.write(
  `${JSON.stringify({
    requests: result.requests,
    latency: result.latency,
    throughput: result.throughput,
    duration: result.duration,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodeStats: result.statusCodeStats,
    sent,
    graphqlErrors,
    firstError,
  })}\n`,
);
