// Arguments that the built package rejects before sending anything: each error names the
// argument and the value, and the sandbox's request log stays empty.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";

import { StreamClient, StreamError } from "stream-edge";

import { assertStreamError, rejectionOf } from "./support/assertions.mjs";
import { startSandbox } from "./support/sandbox.mjs";

describe("argument checks", () => {
  let sandbox;
  let client;

  before(async () => {
    sandbox = await startSandbox();
    client = new StreamClient(sandbox.apiKey, sandbox.apiSecret, { basePath: sandbox.baseUrl });
  });

  after(() => sandbox?.stop());

  beforeEach(() => sandbox.reset());

  const cases = [
    ["upsertUsers without users", "upsertUsers", () => client.upsertUsers(undefined), /users/],
    [
      "upsertUsers with a user without id",
      "upsertUsers",
      () => client.upsertUsers([{ name: "x" }]),
      /id/,
    ],
    [
      "updateUsersPartial with users not an array",
      "updateUsersPartial",
      () => client.updateUsersPartial({ users: "alice" }),
      /users.*alice/,
    ],
    ["deactivateUser without user_id", "deactivateUser", () => client.deactivateUser({}), /user_id/],
    [
      "reactivateUser with a numeric user_id",
      "reactivateUser",
      () => client.reactivateUser({ user_id: 7 }),
      /user_id.*7/,
    ],
    [
      "deactivateUsers with user_ids a string",
      "deactivateUsers",
      () => client.deactivateUsers({ user_ids: "alice" }),
      /user_ids.*alice/,
    ],
    [
      "reactivateUsers with a non-string id",
      "reactivateUsers",
      () => client.reactivateUsers({ user_ids: ["alice", 5] }),
      /user_ids.*5/,
    ],
    [
      "deleteUsers with an unknown mode",
      "deleteUsers",
      () => client.deleteUsers({ user_ids: ["alice"], user: "obliterate" }),
      /user.*obliterate/,
    ],
    ["restoreUsers without user_ids", "restoreUsers", () => client.restoreUsers({}), /user_ids/],
    ["getTask without id", "getTask", () => client.getTask({}), /id/],
    [
      "exportUser with an empty user_id",
      "exportUser",
      () => client.exportUser({ user_id: "" }),
      /user_id/,
    ],
    ["createGuest without user", "createGuest", () => client.createGuest({}), /user/],
    ["waitForTask without a task id", "waitForTask", () => client.waitForTask(undefined), /task/i],
    [
      "waitForTask with a negative interval",
      "waitForTask",
      () => client.waitForTask("t", { intervalMs: -1 }),
      /intervalMs.*-1/,
    ],
  ];

  for (const [name, operation, call, message] of cases) {
    test(`${name} is rejected`, async () => {
      const error = await rejectionOf(Promise.resolve().then(call));

      assertStreamError(error, StreamError, { kind: "invalid_argument", operation, message });
      assert.deepEqual(error.metadata, {});
      assert.deepEqual(await sandbox.requests(), [], "nothing may be sent");
    });
  }
});
