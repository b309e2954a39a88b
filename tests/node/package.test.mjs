// The installed package as a user gets it from `npm install`: resolution of `import` and
// `require`, the manifest, the shipped files and the StreamError class.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import * as esm from "stream-edge";

const require = createRequire(import.meta.url);
const installDir = join(dirname(fileURLToPath(import.meta.url)), "node_modules", "stream-edge");
const manifest = JSON.parse(readFileSync(join(installDir, "package.json"), "utf8"));

function cargoVersion() {
  const cargoToml = readFileSync(new URL("../../Cargo.toml", import.meta.url), "utf8");
  const packageSection = cargoToml.split(/^\[/m).find((section) => section.startsWith("package]"));
  return /^version\s*=\s*"([^"]+)"/m.exec(packageSection)[1];
}

function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(installDir, join(entry.parentPath ?? entry.path, entry.name)))
    .sort();
}

test("import resolves to node.mjs", () => {
  const resolved = fileURLToPath(import.meta.resolve("stream-edge"));

  assert.equal(resolved, join(installDir, "node.mjs"));
  assert.deepEqual(Object.keys(esm).sort(), ["StreamClient", "StreamError"]);
});

test("require resolves to node.cjs", () => {
  const cjs = require("stream-edge");

  assert.equal(require.resolve("stream-edge"), join(installDir, "node.cjs"));
  assert.deepEqual(Object.keys(cjs).sort(), ["StreamClient", "StreamError"]);
  assert.equal(typeof cjs.StreamClient, "function");
});

test("manifest follows the package conventions", () => {
  assert.equal(manifest.name, "stream-edge");
  assert.equal(manifest.version, cargoVersion());
  assert.equal(manifest.type, "module");
  // Each entry point instantiates the wasm module on import, so bundlers must keep it.
  assert.deepEqual(manifest.sideEffects, ["./web.mjs", "./workerd.mjs", "./node.mjs", "./node.cjs"]);
  assert.deepEqual(manifest.dependencies ?? {}, {});
  assert.equal(manifest.scripts, undefined);

  const conditions = Object.keys(manifest.exports["."]);
  assert.deepEqual(conditions, [
    "types",
    "workerd",
    "worker",
    "deno",
    "bun",
    "node",
    "browser",
    "import",
    "default",
  ]);
  assert.deepEqual(manifest.exports["."].node, { import: "./node.mjs", require: "./node.cjs" });
});

test("every exported path is shipped", () => {
  const targets = new Set();
  const collect = (value) => {
    if (typeof value === "string") targets.add(value);
    else for (const nested of Object.values(value)) collect(nested);
  };
  collect(manifest.exports);
  collect(manifest.main);
  collect(manifest.types);

  for (const target of targets) {
    assert.ok(existsSync(join(installDir, target)), `${target} is in exports but not shipped`);
  }
});

test("one wasm file serves both glues", () => {
  const files = listFiles(installDir);

  assert.deepEqual(
    files.filter((file) => file.endsWith(".wasm")),
    ["esm/stream_edge_bg.wasm"],
  );
  const cjsGlue = readFileSync(join(installDir, "cjs/stream_edge.js"), "utf8");
  assert.match(cjsGlue, /\/\.\.\/esm\/stream_edge_bg\.wasm/);
});

test("shipped files are only the runtime files", () => {
  const files = listFiles(installDir);

  const shipped = [
    /^(README\.md|package\.json)$/,
    /^index\.d\.c?ts$/,
    /^types\/\w+\.d\.c?ts$/,
    /^(node|web|workerd)\.mjs$/,
    /^node\.cjs$/,
    /^esm\/stream_edge(\.js|_bg\.wasm)$/,
    /^cjs\/(stream_edge\.js|package\.json)$/,
  ];
  for (const file of files) {
    assert.ok(
      shipped.some((pattern) => pattern.test(file)),
      `unexpected file in the package: ${file}`,
    );
  }
});

test("StreamError keeps its fields", () => {
  const cause = new Error("socket hang up");
  const error = new esm.StreamError("getTask failed: not found", {
    operation: "getTask",
    kind: "api",
    code: 16,
    status: 404,
    metadata: { responseCode: 404 },
    unrecoverable: true,
    exception_fields: { id: "unknown" },
    more_info: "https://getstream.io/chat/docs/api_errors_response",
    cause,
  });

  assert.ok(error instanceof Error);
  assert.equal(error.name, "StreamError");
  assert.equal(error.message, "getTask failed: not found");
  assert.equal(error.operation, "getTask");
  assert.equal(error.kind, "api");
  assert.equal(error.code, 16);
  assert.equal(error.status, 404);
  assert.deepEqual(error.metadata, { responseCode: 404 });
  assert.equal(error.unrecoverable, true);
  assert.deepEqual(error.exception_fields, { id: "unknown" });
  assert.equal(error.more_info, "https://getstream.io/chat/docs/api_errors_response");
  assert.equal(error.cause, cause);
  assert.match(String(error), /^StreamError: getTask failed/);
});

test("StreamError defaults without fields", () => {
  const error = new esm.StreamError("boom");

  assert.equal(error.kind, "internal");
  assert.deepEqual(error.metadata, {});
  assert.equal("cause" in error, false);
});

test("CommonJS StreamError matches the ES module one", () => {
  const { StreamError } = require("stream-edge");
  const fields = { operation: "x", kind: "timeout", code: 1, status: 2, metadata: { a: 1 } };

  const fromCjs = new StreamError("m", fields);
  const fromEsm = new esm.StreamError("m", fields);

  assert.equal(fromCjs.name, "StreamError");
  assert.deepEqual({ ...fromCjs }, { ...fromEsm });
  assert.ok(fromCjs instanceof Error);
});
