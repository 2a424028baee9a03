#!/usr/bin/env node
// Print @apollo/query-planner's plan for an operation over a supergraph (a reference for
// the engine's own plans):  node plan.mjs SUPERGRAPH.graphql 'query { ... }'
import { readFileSync } from "node:fs";
import { Supergraph, operationFromDocument } from "@apollo/federation-internals";
import { QueryPlanner, prettyFormatQueryPlan } from "@apollo/query-planner";
import { parse } from "graphql";

const [file, query] = process.argv.slice(2);
const supergraph = Supergraph.build(readFileSync(file, "utf8"));
const planner = new QueryPlanner(supergraph);
const operation = operationFromDocument(supergraph.schema, parse(query), { validate: true });
process.stdout.write(prettyFormatQueryPlan(planner.buildQueryPlan(operation)) + "\n");
