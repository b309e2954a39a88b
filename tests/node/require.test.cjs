// The CommonJS entry point of the built package, loaded with require(), end to end against
// the real sandbox.
"use strict";

const assert = require("node:assert/strict");
const { after, before, describe, test } = require("node:test");

const jwt = require("jsonwebtoken");
const { StreamClient, StreamError } = require("stream-edge");

describe("require('stream-edge')", () => {
  let sandbox;
  let client;

  before(async () => {
    const { startSandbox } = await import("./support/sandbox.mjs");
    sandbox = await startSandbox();
    client = new StreamClient(sandbox.apiKey, sandbox.apiSecret, { basePath: sandbox.baseUrl });
  });

  after(() => sandbox?.stop());

  test("upserts and queries users", async () => {
    const upserted = await client.upsertUsers([{ id: "cjs-user", name: "From CommonJS" }]);
    const queried = await client.queryUsers({
      payload: { filter_conditions: { id: { $eq: "cjs-user" } } },
    });

    assert.equal(upserted.users["cjs-user"].name, "From CommonJS");
    assert.ok(upserted.users["cjs-user"].created_at instanceof Date);
    assert.equal(upserted.metadata.responseCode, 201);
    assert.deepEqual(queried.users.map((user) => user.id), ["cjs-user"]);
  });

  test("waits for a task", async () => {
    await client.upsertUsers([{ id: "cjs-task" }]);
    const { task_id } = await client.deactivateUsers({ user_ids: ["cjs-task"] });

    const task = await client.waitForTask(task_id, { intervalMs: 20 });

    assert.equal(task.status, "completed");
  });

  test("rejects with the CommonJS StreamError", async () => {
    const error = await client.getTask({ id: "missing" }).then(
      () => assert.fail("getTask resolved for an unknown task"),
      (rejection) => rejection,
    );

    assert.ok(error instanceof StreamError, `got ${error}`);
    assert.equal(error.kind, "api");
    assert.equal(error.status, 404);
    assert.match(error.message, /getTask/);
  });

  test("signs tokens that jsonwebtoken verifies", () => {
    const token = client.generateUserToken({ user_id: "cjs-user" });

    const claims = jwt.verify(token, sandbox.apiSecret, { algorithms: ["HS256"] });

    assert.equal(claims.user_id, "cjs-user");
    assert.equal(claims.exp - claims.iat, 3600);
  });
});
