// Validates response bodies saved by curl-docs.sh against the OpenAPI document.
// Usage: node validate-responses.mjs RESPONSES.jsonl
// Each line is {"method", "path", "status", "file"}; exits 1 when any body is invalid.
import { readFileSync } from "node:fs";

import { validateResponse } from "./openapi.mjs";

const manifest = process.argv[2];
if (manifest === undefined) {
  console.error("usage: node validate-responses.mjs RESPONSES.jsonl");
  process.exit(2);
}

const entries = readFileSync(manifest, "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => JSON.parse(line));

let invalid = 0;
for (const { method, path, status, file } of entries) {
  const text = readFileSync(file, "utf8");
  let problems;
  try {
    problems = validateResponse(method, path, status, JSON.parse(text));
  } catch (error) {
    problems = [`${method} ${path} ${status}: body is not JSON (${error.message}): ${text}`];
  }
  for (const problem of problems) {
    console.error(`  FAIL schema: ${problem}`);
  }
  if (problems.length > 0) {
    invalid += 1;
  }
}

if (entries.length === 0) {
  console.error("validate-responses: the manifest lists no responses");
  process.exit(1);
}
console.log(`validate-responses: ${entries.length - invalid} of ${entries.length} bodies valid`);
process.exit(invalid > 0 ? 1 : 0);
