// A Rust panic inside a method must not break the wasm instance: the call fails with a
// StreamError of kind internal that names the method, and the same client and new clients
// keep signing tokens and calling the sandbox. No input of the shipped package is known to
// panic, so the test uses the test-only build in pkg-panic-probe/ (`make pkg-panic-probe`),
// whose hidden export armPanicProbe(method) makes the next call of that method panic.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";

import jwt from "jsonwebtoken";

import { assertStreamError, rejectionOf, thrownBy } from "./support/assertions.mjs";
import { startSandbox } from "./support/sandbox.mjs";

const PROBE_EXPORT = "armPanicProbe";
/** Panics per kind of method in the repeated-panics test. */
const PANIC_ROUNDS = 1000;
const probeDir = new URL("../../pkg-panic-probe/", import.meta.url);
const shippedDir = new URL("./node_modules/stream-edge/", import.meta.url);

const { StreamClient, StreamError } = await import(new URL("node.mjs", probeDir).href);
// node.mjs has already instantiated the module that this glue belongs to.
const { [PROBE_EXPORT]: armPanicProbe } = await import(new URL("esm/stream_edge.js", probeDir).href);

/** Returns the export names of the wasm file of the package in `dir`. */
function wasmExports(dir) {
  const bytes = readFileSync(new URL("esm/stream_edge_bg.wasm", dir));
  return WebAssembly.Module.exports(new WebAssembly.Module(bytes)).map(({ name }) => name);
}

/** Returns the paths of all files under `dir`. */
function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe("panic recovery", () => {
  let sandbox;

  before(async () => {
    sandbox = await startSandbox();
  });

  after(() => sandbox?.stop());

  function newClient() {
    return new StreamClient(sandbox.apiKey, sandbox.apiSecret, { basePath: sandbox.baseUrl });
  }

  /** Checks that `client` signs a valid user token and completes an API call. */
  async function assertWorks(client, userId) {
    const token = client.generateUserToken({ user_id: userId });
    assert.equal(jwt.verify(token, sandbox.apiSecret).user_id, userId);

    const upserted = await client.upsertUsers([{ id: userId }]);
    assert.equal(upserted.users[userId].id, userId);
  }

  test("shipped package has no probe", () => {
    const glue = readFileSync(new URL("esm/stream_edge.js", probeDir), "utf8");
    assert.ok(glue.includes(PROBE_EXPORT), "the probe build must contain the export");
    assert.ok(wasmExports(probeDir).includes(PROBE_EXPORT));
    assert.equal(typeof armPanicProbe, "function");

    assert.ok(!wasmExports(shippedDir).includes(PROBE_EXPORT), "probe export in the shipped wasm");
    for (const file of filesUnder(fileURLToPath(shippedDir))) {
      const content = readFileSync(file);
      assert.ok(!content.includes(PROBE_EXPORT), `${file} mentions ${PROBE_EXPORT}`);
      assert.ok(!content.includes("panic_probe"), `${file} mentions panic_probe`);
    }
  });

  test("panic in a token method", async () => {
    const client = newClient();

    armPanicProbe("generateUserToken");
    const error = thrownBy(() => client.generateUserToken({ user_id: "sync-panic" }));

    assertStreamError(error, StreamError, {
      kind: "internal",
      operation: "generateUserToken",
      message: /^generateUserToken: internal error .*\(Rust panic at src\/wasm\/panic_probe\.rs:\d+\)/,
    });
    await assertWorks(client, "after-sync-panic");
    await assertWorks(newClient(), "new-after-sync-panic");
  });

  test("panic in a network method", async () => {
    const client = newClient();

    armPanicProbe("upsertUsers");
    const error = await rejectionOf(client.upsertUsers([{ id: "async-panic" }]));

    assertStreamError(error, StreamError, {
      kind: "internal",
      operation: "upsertUsers",
      message: /^upsertUsers: internal error .*\(Rust panic at src\/wasm\/panic_probe\.rs:\d+\)/,
    });
    // The probe panics after the response arrived, so the sandbox stored the user.
    const queried = await client.queryUsers({
      payload: { filter_conditions: { id: "async-panic" } },
    });
    assert.deepEqual(queried.users.map((user) => user.id), ["async-panic"]);
    await assertWorks(client, "after-async-panic");
    await assertWorks(newClient(), "new-after-async-panic");
  });

  test("many panics in a row", async () => {
    const client = newClient();

    // A panic leaks the memory of the frames it stopped. When a panic in a network call also
    // leaked shadow stack, the instance failed with "memory access out of bounds" after about
    // 650 of them, so the loop goes past that.
    for (let round = 0; round < PANIC_ROUNDS; round += 1) {
      armPanicProbe("generateCallToken");
      const syncError = thrownBy(() =>
        client.generateCallToken({ user_id: "u", call_cids: ["default:c"] }),
      );
      assert.equal(syncError.kind, "internal", `round ${round}: ${syncError.message}`);

      armPanicProbe("getTask");
      const asyncError = await rejectionOf(client.getTask({ id: "missing" }));
      assert.equal(asyncError.kind, "internal", `round ${round}: ${asyncError.message}`);
    }
    await assertWorks(client, "after-many-panics");
  });
});
