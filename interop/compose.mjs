#!/usr/bin/env node
// Compose federation v2 subgraph SDL with Apollo's reference composition and
// report the outcome as one JSON document on stdout.
//
//   node compose.mjs [--supergraph OUT] a.graphql b.graphql ...
//   node compose.mjs [--supergraph OUT] [--timeout SECONDS] --from-urls a=http://... b=http://...
//
// Exit status: 0 composed, 1 composition errors, 2 usage or input errors
// (no subgraphs, unreadable file, unparseable SDL, failed fetch), 3 the
// composition library itself crashed.

import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";

import { composeServices } from "@apollo/composition";
import { errorCode } from "@apollo/federation-internals";
import { parse } from "graphql";

const EXIT_OK = 0;
const EXIT_COMPOSITION = 1;
const EXIT_USAGE = 2;
const EXIT_INTERNAL = 3;

const SERVICE_SDL_QUERY = "{ _service { sdl } }";
const DEFAULT_TIMEOUT_SECONDS = 10;

const USAGE = `usage:
  node compose.mjs [--supergraph OUT] SUBGRAPH.graphql...
  node compose.mjs [--supergraph OUT] [--timeout SECONDS] --from-urls NAME=URL...

Each file's name (without extension) is its subgraph name. With --from-urls,
each subgraph's SDL is fetched with the query ${SERVICE_SDL_QUERY} (HTTP POST).`;

class InputError extends Error {
  constructor(code, message, subgraph) {
    super(message);
    this.code = code;
    this.subgraph = subgraph;
  }
}

function report(result) {
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

function inputFailure(error, subgraphs = []) {
  const entry = { code: error.code, message: error.message };
  if (error.subgraph !== undefined) {
    entry.subgraphs = [error.subgraph];
  }
  return { ok: false, subgraphs, errors: [entry], hints: [] };
}

function parseCommandLine(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        "from-urls": { type: "boolean", default: false },
        supergraph: { type: "string" },
        timeout: { type: "string", default: String(DEFAULT_TIMEOUT_SECONDS) },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (err) {
    throw new InputError("USAGE", err.message);
  }
  const { values, positionals } = parsed;
  const timeoutSeconds = Number(values.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    throw new InputError("USAGE", `--timeout must be a positive number, got "${values.timeout}"`);
  }
  if (!values.help && positionals.length === 0) {
    throw new InputError("NO_SUBGRAPHS", "no subgraphs given");
  }
  return {
    help: values.help,
    fromUrls: values["from-urls"],
    supergraphPath: values.supergraph,
    timeoutMs: timeoutSeconds * 1000,
    inputs: positionals,
  };
}

async function readSubgraphFile(file) {
  const name = path.parse(file).name;
  try {
    return { name, url: "", sdl: await readFile(file, "utf8") };
  } catch (err) {
    throw new InputError("UNREADABLE_FILE", `cannot read ${file}: ${err.message}`, name);
  }
}

function splitNameUrl(pair) {
  const at = pair.indexOf("=");
  if (at <= 0 || at === pair.length - 1) {
    throw new InputError("USAGE", `expected NAME=URL, got "${pair}"`);
  }
  return { name: pair.slice(0, at), url: pair.slice(at + 1) };
}

async function fetchSubgraphSdl({ name, url }, timeoutMs) {
  let response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ query: SERVICE_SDL_QUERY }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const reason = err.cause?.message ?? err.message;
    throw new InputError("FETCH_FAILED", `POST ${url} failed: ${reason}`, name);
  }
  const body = await response.text();
  if (!response.ok) {
    throw new InputError("FETCH_FAILED", `POST ${url} answered HTTP ${response.status}`, name);
  }
  let payload;
  try {
    payload = JSON.parse(body);
  } catch {
    throw new InputError("FETCH_FAILED", `POST ${url} did not answer JSON`, name);
  }
  const sdl = payload?.data?._service?.sdl;
  if (typeof sdl !== "string") {
    const detail = payload?.errors?.map((e) => e.message).join("; ") || "no _service.sdl in answer";
    throw new InputError("FETCH_FAILED", `POST ${url}: ${detail}`, name);
  }
  return { name, url, sdl };
}

function assertDistinctNames(sources) {
  const seen = new Set();
  for (const { name } of sources) {
    if (seen.has(name)) {
      throw new InputError("DUPLICATE_SUBGRAPH", `subgraph "${name}" given more than once`, name);
    }
    seen.add(name);
  }
}

function toServiceDefinition({ name, url, sdl }) {
  try {
    return { name, url, typeDefs: parse(sdl) };
  } catch (err) {
    const where = err.locations?.[0];
    const at = where ? ` (line ${where.line}, column ${where.column})` : "";
    throw new InputError("SDL_PARSE_ERROR", `${name}: ${err.message}${at}`, name);
  }
}

function subgraphsNamedBy(error) {
  const names = new Set();
  for (const node of error.nodes ?? []) {
    if (node?.subgraph) {
      names.add(node.subgraph);
    }
  }
  return [...names];
}

function describeError(error) {
  const code = errorCode(error) ?? error.extensions?.code ?? "UNKNOWN";
  const entry = { code, message: error.message };
  const subgraphs = subgraphsNamedBy(error);
  if (subgraphs.length > 0) {
    entry.subgraphs = subgraphs;
  }
  return entry;
}

function describeHint(hint) {
  return { code: hint.definition.code, message: hint.message };
}

async function main(argv) {
  const options = parseCommandLine(argv);
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }

  const sources = await Promise.all(
    options.fromUrls
      ? options.inputs.map((pair) => fetchSubgraphSdl(splitNameUrl(pair), options.timeoutMs))
      : options.inputs.map(readSubgraphFile),
  );
  assertDistinctNames(sources);
  const services = sources.map(toServiceDefinition);
  const names = services.map((service) => service.name);

  const result = composeServices(services);
  if (result.errors) {
    report({ ok: false, subgraphs: names, errors: result.errors.map(describeError), hints: [] });
    return EXIT_COMPOSITION;
  }

  if (options.supergraphPath !== undefined) {
    try {
      await writeFile(options.supergraphPath, result.supergraphSdl, "utf8");
    } catch (err) {
      const reason = `cannot write ${options.supergraphPath}: ${err.message}`;
      throw new InputError("UNWRITABLE_SUPERGRAPH", reason);
    }
  }
  report({
    ok: true,
    subgraphs: names,
    errors: [],
    hints: result.hints.map(describeHint),
    supergraph: options.supergraphPath ?? null,
  });
  return EXIT_OK;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  if (err instanceof InputError) {
    report(inputFailure(err));
    if (err.code === "USAGE" || err.code === "NO_SUBGRAPHS") {
      process.stderr.write(`${USAGE}\n`);
    }
    process.exitCode = EXIT_USAGE;
  } else {
    const internal = { code: "INTERNAL", message: String(err?.stack ?? err) };
    report({ ok: false, subgraphs: [], errors: [internal], hints: [] });
    process.exitCode = EXIT_INTERNAL;
  }
}
