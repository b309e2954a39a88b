// User and call tokens of the built package, presented to the real sandbox the way a
// client-side SDK presents them: a read (query users) authorized by the token.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";

import { StreamClient } from "stream-edge";

import { startSandbox } from "./support/sandbox.mjs";

describe("user tokens at the sandbox", () => {
  let sandbox;
  let client;

  before(async () => {
    sandbox = await startSandbox();
    client = new StreamClient(sandbox.apiKey, sandbox.apiSecret, { basePath: sandbox.baseUrl });
  });

  after(() => sandbox?.stop());

  beforeEach(async () => {
    await sandbox.reset();
    await client.upsertUsers([{ id: "alice" }, { id: "bob" }]);
  });

  /** Queries users with `token` as a client-side SDK would; returns status and body. */
  async function queryAs(token) {
    const payload = JSON.stringify({ filter_conditions: { id: { $in: ["alice", "bob"] } } });
    const url = new URL("/api/v2/users", sandbox.baseUrl);
    url.searchParams.set("api_key", sandbox.apiKey);
    url.searchParams.set("payload", payload);
    const response = await fetch(url, {
      headers: { Authorization: token, "stream-auth-type": "jwt" },
    });
    return { status: response.status, body: await response.json() };
  }

  test("generateUserToken is accepted", async () => {
    const { status, body } = await queryAs(client.generateUserToken({ user_id: "alice" }));

    assert.equal(status, 200);
    assert.deepEqual(body.users.map((user) => user.id).sort(), ["alice", "bob"]);
  });

  test("generateCallToken is accepted", async () => {
    const token = client.generateCallToken({ user_id: "alice", call_cids: ["default:standup"] });

    const { status } = await queryAs(token);

    assert.equal(status, 200);
  });

  test("createToken is accepted", async () => {
    const { status } = await queryAs(client.createToken("bob"));

    assert.equal(status, 200);
  });

  test("expired token is rejected", async (t) => {
    // Sign while the clock reads two hours ago, so the one-hour token is already expired.
    t.mock.timers.enable({ apis: ["Date"], now: Date.now() - 2 * 3600 * 1000 });
    const token = client.generateUserToken({ user_id: "alice", validity_in_seconds: 3600 });
    t.mock.timers.reset();

    const { status, body } = await queryAs(token);

    assert.equal(status, 401);
    assert.equal(body.code, 40);
  });

  test("token issued before revocation is rejected", async () => {
    const nowSecs = Math.floor(Date.now() / 1000);
    const oldToken = client.generateUserToken({ user_id: "alice", iat: nowSecs - 600 });
    const newToken = client.generateUserToken({ user_id: "alice" });

    await client.updateUsersPartial({
      users: [
        {
          id: "alice",
          set: { revoke_tokens_issued_before: new Date((nowSecs - 300) * 1000).toISOString() },
        },
      ],
    });

    const rejected = await queryAs(oldToken);
    assert.equal(rejected.status, 401);
    assert.match(rejected.body.message, /revoked/i);
    const accepted = await queryAs(newToken);
    assert.equal(accepted.status, 200);
  });

  test("token of a deactivated user is rejected", async () => {
    const token = client.generateUserToken({ user_id: "bob" });
    await client.deactivateUser({ user_id: "bob" });

    const { status } = await queryAs(token);

    assert.equal(status, 401);
  });

  test("guest access token is accepted", async () => {
    const { access_token } = await client.createGuest({ user: { id: "guest-7" } });

    const { status } = await queryAs(access_token);

    assert.equal(status, 200);
  });

  test("token signed by another client's secret is rejected", async () => {
    const other = new StreamClient(sandbox.apiKey, "a-different-secret");

    const { status, body } = await queryAs(other.generateUserToken({ user_id: "alice" }));

    assert.equal(status, 401);
    assert.equal(body.code, 43);
  });
});
