#!/usr/bin/env node
// Count @apollo/query-planner's fetches for many operations over one supergraph:
//   node plan-counts.mjs SUPERGRAPH.graphql < operations.json   (a JSON list of strings)
// prints a JSON list: the number of Fetch nodes per operation, or null if it cannot plan.
import { readFileSync } from "node:fs";
import { Supergraph, operationFromDocument } from "@apollo/federation-internals";
import { QueryPlanner, prettyFormatQueryPlan } from "@apollo/query-planner";
import { parse } from "graphql";

const supergraph = Supergraph.build(readFileSync(process.argv[2], "utf8"));
const planner = new QueryPlanner(supergraph);
const operations = JSON.parse(readFileSync(0, "utf8"));
const counts = operations.map((query) => {
  try {
    const operation = operationFromDocument(supergraph.schema, parse(query), { validate: true });
    const text = prettyFormatQueryPlan(planner.buildQueryPlan(operation));
    return (text.match(/Fetch\(service:/g) || []).length;
  } catch {
    return null;
  }
});
process.stdout.write(JSON.stringify(counts) + "\n");
