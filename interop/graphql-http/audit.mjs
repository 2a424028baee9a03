// The GraphQL-over-HTTP server audit (graphql-http's auditServer) against one server, with
// extra headers on every request (a bearer token, a purpose of use, a subgraph context).
//
//   node audit.mjs --url http://127.0.0.1:4000/graphql [--header 'Authorization: Bearer …']…
//
// Prints one JSON array: {id, name, status ("ok" | "notice" | "warn" | "error"), reason,
// httpStatus, contentType, body} per audit. Exit 0 once the audit ran (the caller judges the
// results), 2 on a usage error, 3 when the audit itself crashed.
import { auditServer } from 'graphql-http';

function usage(message) {
  process.stderr.write(`${message}\nusage: node audit.mjs --url URL [--header 'Name: value']...\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
let url = null;
const extra = [];
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === '--url') url = args[++i];
  else if (args[i] === '--header') {
    const header = args[++i] ?? '';
    const colon = header.indexOf(':');
    if (colon < 1) usage(`not a header: ${header}`);
    extra.push([header.slice(0, colon).trim(), header.slice(colon + 1).trim()]);
  } else usage(`unknown argument: ${args[i]}`);
}
if (!url) usage('--url is required');

function fetchWithHeaders(input, init = {}) {
  const headers = new Headers(init.headers);
  for (const [name, value] of extra) headers.set(name, value);
  return fetch(input, { ...init, headers });
}

async function describe(result) {
  const found = { id: result.id, name: result.name, status: result.status };
  if (result.status === 'ok') return found;
  found.reason = result.reason;
  const response = result.response;
  if (response) {
    found.httpStatus = response.status;
    found.contentType = response.headers.get('content-type');
    try {
      found.body = (await response.clone().text()).slice(0, 500);
    } catch {
      found.body = null; // already read by the audit
    }
  }
  return found;
}

try {
  const results = await auditServer({ url, fetchFn: fetchWithHeaders });
  process.stdout.write(`${JSON.stringify(await Promise.all(results.map(describe)), null, 1)}\n`);
} catch (error) {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(3);
}
