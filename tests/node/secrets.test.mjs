// The API secret must not be readable from a client object or from any error the built
// package produces, whatever the failure.
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { after, before, describe, test } from "node:test";

import { StreamClient, StreamError } from "stream-edge";

import { rejectionOf, thrownBy } from "./support/assertions.mjs";
import { startSandbox } from "./support/sandbox.mjs";

const SECRET = "s3cr3t-value-that-must-never-leak";

/** Returns every string form of `value` that a user might log. */
function renderings(value) {
  return [
    String(value),
    JSON.stringify(value) ?? "",
    inspect(value, { showHidden: true, depth: Infinity, getters: true }),
    value instanceof Error ? `${value.stack}\n${inspect(value.cause, { depth: Infinity })}` : "",
  ];
}

function assertNoSecret(value, label) {
  for (const text of renderings(value)) {
    assert.ok(!text.includes(SECRET), `${label} shows the secret: ${text}`);
  }
}

describe("secret handling", () => {
  let sandbox;

  before(async () => {
    sandbox = await startSandbox({ apiSecret: SECRET });
  });

  after(() => sandbox?.stop());

  test("client object does not show the secret", () => {
    const client = new StreamClient(sandbox.apiKey, SECRET, { basePath: sandbox.baseUrl });

    assertNoSecret(client, "client");
    assert.ok(!Object.values(client).includes(SECRET), "secret in an own property value");
    for (const name of Object.getOwnPropertyNames(client)) {
      assert.ok(!String(client[name]).includes(SECRET), `client.${name} shows the secret`);
    }
  });

  test("errors of every kind do not show the secret", async () => {
    const good = new StreamClient(sandbox.apiKey, SECRET, { basePath: sandbox.baseUrl });
    const wrongKey = new StreamClient("wrong-key", SECRET, { basePath: sandbox.baseUrl });
    const wrongSecret = new StreamClient(sandbox.apiKey, `${SECRET}-x`, { basePath: sandbox.baseUrl });
    const impatient = new StreamClient(sandbox.apiKey, SECRET, {
      basePath: sandbox.baseUrl,
      timeout: 100,
    });
    const offline = new StreamClient(sandbox.apiKey, SECRET, { basePath: "http://127.0.0.1:9" });
    await sandbox.addFault({
      method: "GET",
      path: "/api/v2/users/alice/export",
      count: 1,
      delay_ms: 5_000,
    });

    const errors = {
      api_key: await rejectionOf(wrongKey.upsertUsers([{ id: "alice" }])),
      signature: await rejectionOf(wrongSecret.upsertUsers([{ id: "alice" }])),
      validation: await rejectionOf(good.upsertUsers([{ id: "alice", role: "emperor" }])),
      not_found: await rejectionOf(good.getTask({ id: "nope" })),
      timeout: await rejectionOf(impatient.exportUser({ user_id: "alice" })),
      network: await rejectionOf(offline.getTask({ id: "t" })),
      argument: await rejectionOf(Promise.resolve().then(() => good.deactivateUser({}))),
      token_argument: thrownBy(() => good.generateUserToken({ user_id: 5 })),
      token_verify: thrownBy(() => good.verifyToken("a.b.c")),
    };

    for (const [label, error] of Object.entries(errors)) {
      assert.ok(error instanceof StreamError, `${label}: ${error}`);
      assertNoSecret(error, `${label} error`);
    }
  });
});
