// Every Users operation of the built package, end to end against the real sandbox.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";

import jwt from "jsonwebtoken";
import { StreamClient } from "stream-edge";

import { assertDate, assertMetadata } from "./support/assertions.mjs";
import { startSandbox } from "./support/sandbox.mjs";

describe("users end to end", () => {
  let sandbox;
  let client;

  before(async () => {
    sandbox = await startSandbox();
    client = new StreamClient(sandbox.apiKey, sandbox.apiSecret, { basePath: sandbox.baseUrl });
  });

  after(() => sandbox?.stop());

  beforeEach(() => sandbox.reset());

  async function queryIds(payload) {
    const { users } = await client.queryUsers({ payload });
    return users.map((user) => user.id);
  }

  test("upsertUsers stores an array", async () => {
    const response = await client.upsertUsers([
      { id: "alice", name: "Alice", role: "admin", teams: ["blue"], custom: { color: "red" } },
      { id: "bob" },
    ]);

    assert.deepEqual(Object.keys(response.users).sort(), ["alice", "bob"]);
    const alice = response.users.alice;
    assert.equal(alice.id, "alice");
    assert.equal(alice.name, "Alice");
    assert.equal(alice.role, "admin");
    assert.deepEqual(alice.teams, ["blue"]);
    assert.equal(alice.custom.color, "red");
    assert.equal(response.users.bob.role, "user");
    assertDate(alice.created_at, "created_at");
    assertDate(alice.updated_at, "updated_at");
    assert.equal(typeof response.duration, "string");
    assertMetadata(response.metadata, 201);
  });

  test("upsertUsers accepts the users-by-id form", async () => {
    const response = await client.upsertUsers({
      users: { carol: { id: "carol", name: "Carol" }, dave: { id: "dave" } },
    });

    assert.deepEqual(Object.keys(response.users).sort(), ["carol", "dave"]);
    assert.equal(response.users.carol.name, "Carol");
  });

  test("upsertUsers replaces the stored user", async () => {
    const first = await client.upsertUsers([{ id: "erin", name: "Erin", custom: { a: 1 } }]);
    const second = await client.upsertUsers([{ id: "erin", custom: { b: 2 } }]);

    const erin = second.users.erin;
    assert.equal(erin.name, undefined);
    assert.deepEqual(erin.custom, { b: 2 });
    assert.equal(erin.created_at.getTime(), first.users.erin.created_at.getTime());
    assert.ok(erin.updated_at >= first.users.erin.updated_at, "updated_at does not go back");
  });

  test("response metadata matches the request log", async () => {
    const response = await client.upsertUsers([{ id: "frank" }]);

    const logged = (await sandbox.requests()).at(-1);
    assert.equal(logged.method, "POST");
    assert.equal(logged.path, "/api/v2/users");
    assert.equal(logged.status, 201);
    assert.equal(logged.request_id, response.metadata.clientRequestId);
  });

  test("updateUsersPartial sets and unsets fields", async () => {
    await client.upsertUsers([
      { id: "gina", name: "Gina", image: "https://img/g.png", custom: { x: 1 } },
    ]);

    const response = await client.updateUsersPartial({
      users: [{ id: "gina", set: { name: "Gina B.", role: "admin", level: 7 }, unset: ["image"] }],
    });

    const gina = response.users.gina;
    assert.equal(gina.name, "Gina B.");
    assert.equal(gina.role, "admin");
    assert.equal(gina.image, undefined);
    assert.equal(gina.custom.level, 7);
    assert.equal(gina.custom.x, 1);
    assertDate(gina.updated_at, "updated_at");
    assertMetadata(response.metadata, 200);
  });

  test("queryUsers filters, sorts and pages", async () => {
    await client.upsertUsers([
      { id: "q-1", name: "Quinn", role: "admin" },
      { id: "q-2", name: "Quentin" },
      { id: "q-3", name: "Rita", role: "admin" },
    ]);

    const response = await client.queryUsers({
      payload: {
        filter_conditions: { role: { $eq: "admin" } },
        sort: [{ field: "id", direction: -1 }],
      },
    });
    assert.deepEqual(response.users.map((user) => user.id), ["q-3", "q-1"]);
    assertDate(response.users[0].created_at, "created_at");
    assertMetadata(response.metadata, 200);

    const page = await queryIds({
      filter_conditions: { id: { $in: ["q-1", "q-2", "q-3"] } },
      sort: [{ field: "id", direction: 1 }],
      limit: 1,
      offset: 1,
    });
    assert.deepEqual(page, ["q-2"]);

    const autocomplete = await queryIds({ filter_conditions: { name: { $autocomplete: "Que" } } });
    assert.deepEqual(autocomplete, ["q-2"]);
  });

  test("queryUsers sends non-ASCII filter values intact", async () => {
    await client.upsertUsers([{ id: "zoe", name: "Zoë & Co? #1 =%" }]);

    const ids = await queryIds({ filter_conditions: { name: { $eq: "Zoë & Co? #1 =%" } } });

    assert.deepEqual(ids, ["zoe"]);
  });

  test("deactivateUser and reactivateUser", async () => {
    await client.upsertUsers([{ id: "hank" }]);

    const deactivated = await client.deactivateUser({
      user_id: "hank",
      mark_messages_deleted: false,
      created_by_id: "hank",
    });
    assert.equal(deactivated.user.id, "hank");
    assertDate(deactivated.user.deactivated_at, "deactivated_at");
    assertMetadata(deactivated.metadata, 201);
    assert.deepEqual(await queryIds({ filter_conditions: { id: { $eq: "hank" } } }), []);
    assert.deepEqual(
      await queryIds({ filter_conditions: { id: { $eq: "hank" } }, include_deactivated_users: true }),
      ["hank"],
    );

    const reactivated = await client.reactivateUser({
      user_id: "hank",
      restore_messages: true,
      name: "Hank",
    });
    assert.equal(reactivated.user.id, "hank");
    assert.equal(reactivated.user.deactivated_at, undefined);
    assert.equal(reactivated.user.name, "Hank");
    assertMetadata(reactivated.metadata, 201);
    assert.deepEqual(await queryIds({ filter_conditions: { id: { $eq: "hank" } } }), ["hank"]);
  });

  test("deactivateUsers and reactivateUsers run as tasks", async () => {
    await client.upsertUsers([{ id: "ivy" }, { id: "jack" }, { id: "kate" }]);

    const started = await client.deactivateUsers({
      user_ids: ["ivy", "jack"],
      mark_messages_deleted: true,
      mark_channels_deleted: false,
      created_by_id: "kate",
    });
    assert.equal(typeof started.task_id, "string");
    assert.notEqual(started.task_id, "");
    assertMetadata(started.metadata, 201);

    const task = await client.waitForTask(started.task_id, { intervalMs: 20 });
    assert.equal(task.task_id, started.task_id);
    assert.equal(task.status, "completed");
    assertDate(task.created_at, "task created_at");
    assertDate(task.updated_at, "task updated_at");
    assertMetadata(task.metadata, 200);
    assert.deepEqual(await queryIds({ filter_conditions: { id: { $in: ["ivy", "jack", "kate"] } } }), [
      "kate",
    ]);

    const reactivation = await client.reactivateUsers({
      user_ids: ["ivy", "jack"],
      restore_messages: true,
      restore_channels: true,
      created_by_id: "kate",
    });
    const reactivated = await client.waitForTask(reactivation.task_id, { intervalMs: 20 });
    assert.equal(reactivated.status, "completed");
    const ids = await queryIds({
      filter_conditions: { id: { $in: ["ivy", "jack", "kate"] } },
      sort: [{ field: "id", direction: 1 }],
    });
    assert.deepEqual(ids, ["ivy", "jack", "kate"]);
  });

  test("getTask reports pending work until it completes", async () => {
    await client.upsertUsers([{ id: "liam" }]);
    const { task_id } = await client.deactivateUsers({ user_ids: ["liam"] });

    const seen = [];
    let task = await client.getTask({ id: task_id });
    seen.push(task.status);
    while (task.status !== "completed" && task.status !== "failed") {
      await new Promise((resolve) => setTimeout(resolve, 20));
      task = await client.getTask({ id: task_id });
      seen.push(task.status);
    }

    assert.equal(task.status, "completed");
    assert.equal(task.task_id, task_id);
    assert.ok(seen.every((status) => ["pending", "running", "completed"].includes(status)), `${seen}`);
    assertDate(task.created_at, "created_at");
    assertDate(task.updated_at, "updated_at");
    assert.equal(typeof task.result, "object");
    assertMetadata(task.metadata, 200);
  });

  test("deleteUsers soft then restoreUsers", async () => {
    await client.upsertUsers([{ id: "mia", name: "Mia" }, { id: "noah" }]);

    const started = await client.deleteUsers({
      user_ids: ["mia"],
      user: "soft",
      messages: "soft",
      conversations: "soft",
      calls: "soft",
      files: false,
      new_channel_owner_id: "noah",
      new_call_owner_id: "noah",
    });
    assertMetadata(started.metadata, 201);
    const task = await client.waitForTask(started.task_id, { intervalMs: 20 });
    assert.equal(task.status, "completed");
    assert.deepEqual(await queryIds({ filter_conditions: { id: { $eq: "mia" } } }), []);

    const restored = await client.restoreUsers({ user_ids: ["mia"] });
    assert.equal(typeof restored.duration, "string");
    assertMetadata(restored.metadata, 201);
    const { users } = await client.queryUsers({
      payload: { filter_conditions: { id: { $eq: "mia" } } },
    });
    assert.equal(users.length, 1);
    assert.equal(users[0].name, "Mia");
    assert.equal(users[0].deleted_at, undefined);
  });

  test("deleteUsers pruning clears the name", async () => {
    await client.upsertUsers([{ id: "olga", name: "Olga", custom: { secret_hobby: "chess" } }]);

    const { task_id } = await client.deleteUsers({ user_ids: ["olga"], user: "pruning" });
    await client.waitForTask(task_id, { intervalMs: 20 });
    await client.restoreUsers({ user_ids: ["olga"] });

    const { users } = await client.queryUsers({
      payload: { filter_conditions: { id: { $eq: "olga" } } },
    });
    assert.equal(users.length, 1);
    assert.equal(users[0].name, undefined);
    assert.deepEqual(users[0].custom, {});
  });

  test("createGuest returns a guest and its token", async () => {
    const response = await client.createGuest({ user: { id: "guest-1", name: "Visitor" } });

    assert.equal(response.user.id, "guest-1");
    assert.equal(response.user.role, "guest");
    assertDate(response.user.created_at, "created_at");
    assertMetadata(response.metadata, 201);
    const claims = jwt.verify(response.access_token, sandbox.apiSecret, { algorithms: ["HS256"] });
    assert.equal(claims.user_id, "guest-1");
  });

  test("exportUser returns the user", async () => {
    await client.upsertUsers([{ id: "pia", name: "Pia", custom: { team: "red" } }]);

    const response = await client.exportUser({ user_id: "pia" });

    assert.equal(response.user.id, "pia");
    assert.equal(response.user.name, "Pia");
    assert.equal(response.user.custom.team, "red");
    assertDate(response.user.created_at, "created_at");
    assertMetadata(response.metadata, 200);
  });
});
