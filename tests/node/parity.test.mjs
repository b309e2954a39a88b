// Drop-in parity with @stream-io/node-sdk: for the same call on the same sandbox state, the
// built package must send the same request (method, path, query, body, auth headers) and
// return the same decoded response as the official SDK.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";

import { StreamClient as OfficialClient } from "@stream-io/node-sdk";
import { StreamClient } from "stream-edge";

import { rejectionOf } from "./support/assertions.mjs";
import { startRecordingProxy } from "./support/recording-proxy.mjs";
import { startSandbox } from "./support/sandbox.mjs";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const VOLATILE_KEYS = new Set(["duration", "access_token", "task_id"]);
const SEED_USERS = [
  { id: "alice", name: "Alice", role: "admin", custom: { color: "red" } },
  { id: "bob", name: "Bob", teams: ["blue"] },
];

const packageVersion = JSON.parse(
  readFileSync(new URL("./node_modules/stream-edge/package.json", import.meta.url), "utf8"),
).version;

/** Replaces values that differ between two runs (times, ids, durations) by placeholders. */
function normalize(value, key) {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "<invalid Date>" : "<Date>";
  if (VOLATILE_KEYS.has(key)) return `<${key}>`;
  if (typeof value === "string" && UUID.test(value)) return "<uuid>";
  if (Array.isArray(value)) return value.map((item) => normalize(item));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([name]) => name !== "metadata")
        .map(([name, item]) => [name, normalize(item, name)]),
    );
  }
  return value;
}

function parseQuery(query) {
  const parsed = { ...query };
  if (parsed.payload !== undefined) parsed.payload = JSON.parse(parsed.payload);
  return parsed;
}

// `ours` and `official` receive the client and the id of a task started during setup.
const cases = [
  {
    name: "upsertUsers",
    call: (client) =>
      client.upsertUsers([
        { id: "carol", name: "Carol", role: "user", teams: ["red"], language: "fr", invisible: true },
        { id: "alice", custom: { color: "green" }, teams_role: { red: "admin" } },
      ]),
  },
  {
    name: "upsertUsers with users by id",
    ours: (client) => client.upsertUsers({ users: { dora: { id: "dora", name: "Dora" } } }),
    official: (client) => client.updateUsers({ users: { dora: { id: "dora", name: "Dora" } } }),
  },
  {
    name: "updateUsersPartial",
    call: (client) =>
      client.updateUsersPartial({
        users: [
          { id: "alice", set: { name: "Alice B.", level: 3 }, unset: ["color"] },
          { id: "bob", set: { role: "moderator" } },
        ],
      }),
  },
  {
    name: "queryUsers",
    call: (client) =>
      client.queryUsers({
        payload: {
          filter_conditions: { name: { $in: ["Alice", "Bob", "Zoë & Co?"] } },
          sort: [{ field: "name", direction: -1 }],
          limit: 5,
          offset: 0,
          include_deactivated_users: false,
        },
      }),
  },
  {
    name: "deactivateUser",
    call: (client) =>
      client.deactivateUser({ user_id: "alice", mark_messages_deleted: true, created_by_id: "bob" }),
  },
  {
    name: "reactivateUser",
    setup: (client) => client.deactivateUser({ user_id: "alice" }),
    call: (client) =>
      client.reactivateUser({
        user_id: "alice",
        restore_messages: true,
        name: "Alicia",
        created_by_id: "bob",
      }),
  },
  {
    name: "deactivateUsers",
    call: (client) =>
      client.deactivateUsers({
        user_ids: ["alice", "bob"],
        mark_messages_deleted: false,
        mark_channels_deleted: true,
        created_by_id: "bob",
      }),
  },
  {
    name: "reactivateUsers",
    call: (client) =>
      client.reactivateUsers({
        user_ids: ["alice"],
        restore_messages: true,
        restore_channels: false,
        created_by_id: "bob",
      }),
  },
  {
    name: "deleteUsers",
    call: (client) =>
      client.deleteUsers({
        user_ids: ["alice"],
        user: "soft",
        messages: "pruning",
        conversations: "hard",
        calls: "soft",
        files: true,
        new_channel_owner_id: "bob",
        new_call_owner_id: "bob",
      }),
  },
  {
    name: "restoreUsers",
    setup: async (client) => {
      const { task_id } = await client.deleteUsers({ user_ids: ["bob"], user: "soft" });
      await client.waitForTask(task_id, { intervalMs: 20 });
    },
    call: (client) => client.restoreUsers({ user_ids: ["bob"] }),
  },
  {
    name: "getTask",
    setup: async (client) => {
      const { task_id } = await client.deactivateUsers({ user_ids: ["bob"] });
      await client.waitForTask(task_id, { intervalMs: 20 });
      return task_id;
    },
    call: (client, taskId) => client.getTask({ id: taskId }),
  },
  {
    name: "createGuest",
    call: (client) =>
      client.createGuest({ user: { id: "guest-9", name: "Visitor", custom: { via: "ad" } } }),
  },
  {
    name: "exportUser",
    call: (client) => client.exportUser({ user_id: "bob" }),
  },
];

describe("parity with @stream-io/node-sdk", () => {
  let sandbox;
  let proxy;
  let direct;
  let clients;

  before(async () => {
    sandbox = await startSandbox();
    proxy = await startRecordingProxy(sandbox.baseUrl);
    direct = new StreamClient(sandbox.apiKey, sandbox.apiSecret, { basePath: sandbox.baseUrl });
    clients = {
      ours: new StreamClient(sandbox.apiKey, sandbox.apiSecret, { basePath: proxy.baseUrl }),
      official: new OfficialClient(sandbox.apiKey, sandbox.apiSecret, { basePath: proxy.baseUrl }),
    };
  });

  after(async () => {
    await proxy?.close();
    await sandbox?.stop();
  });

  /** Runs one SDK's side of a case on freshly seeded state; returns request and outcome. */
  async function runSide(side, testCase) {
    await sandbox.reset();
    await direct.upsertUsers(SEED_USERS);
    const taskId = testCase.setup ? await testCase.setup(direct) : undefined;

    const call = testCase[side] ?? testCase.call;
    const before = proxy.recorded.length;
    const outcome = await call(clients[side], taskId).then(
      (response) => ({ response }),
      (error) => ({ error }),
    );
    assert.equal(proxy.recorded.length, before + 1, `${side} sent one request`);
    const request = proxy.recorded.at(-1);
    if (taskId !== undefined) request.path = request.path.replace(taskId, "<task>");
    return { request, ...outcome };
  }

  for (const testCase of cases) {
    test(`${testCase.name} sends and returns the same`, async () => {
      const official = await runSide("official", testCase);
      const ours = await runSide("ours", testCase);

      assert.equal(official.error, undefined, `official SDK failed: ${official.error?.message}`);
      assert.equal(ours.error, undefined, `stream-edge failed: ${ours.error?.message}`);

      assert.equal(ours.request.method, official.request.method);
      assert.equal(ours.request.path, official.request.path);
      assert.deepEqual(parseQuery(ours.request.query), parseQuery(official.request.query));
      const parseBody = (body) => (body === "" ? undefined : JSON.parse(body));
      assert.deepEqual(parseBody(ours.request.body), parseBody(official.request.body));

      const headers = ours.request.headers;
      assert.equal(headers.authorization, official.request.headers.authorization);
      assert.equal(headers["stream-auth-type"], "jwt");
      assert.equal(headers["x-stream-client"], `stream-edge-${packageVersion}`);
      assert.match(headers["x-client-request-id"], UUID);
      if (ours.request.body !== "") {
        assert.equal(headers["content-type"], "application/json");
      }

      assert.deepEqual(normalize(ours.response), normalize(official.response));
      assert.equal(ours.response.metadata.responseCode, official.response.metadata.responseCode);
      assert.equal(ours.response.metadata.clientRequestId, headers["x-client-request-id"]);
    });
  }

  test("errors carry the same code and status", async () => {
    const official = await rejectionOf(clients.official.getTask({ id: "missing-task" }));
    const ours = await rejectionOf(clients.ours.getTask({ id: "missing-task" }));

    assert.equal(ours.code, official.code);
    assert.equal(ours.metadata.responseCode, official.metadata.responseCode);
    assert.equal(ours.status, official.metadata.responseCode);
  });
});
