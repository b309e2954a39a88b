// Token signing and verification of the built package, checked against jsonwebtoken, jose
// and the official @stream-io/node-sdk.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, test } from "node:test";

import { StreamClient as OfficialClient } from "@stream-io/node-sdk";
import * as jose from "jose";
import jwt from "jsonwebtoken";
import { StreamClient, StreamError } from "stream-edge";

import { assertStreamError, thrownBy } from "./support/assertions.mjs";

const API_KEY = "token-test-key";
const SECRET = "token-test-secret-0123456789abcdef";
const ours = new StreamClient(API_KEY, SECRET);
const official = new OfficialClient(API_KEY, SECRET);

const NOW_SECS = Math.floor(Date.now() / 1000);

function decodePart(token, index) {
  return JSON.parse(Buffer.from(token.split(".")[index], "base64url").toString("utf8"));
}

/** Verifies `token` with jsonwebtoken and jose and returns the claims from both. */
async function verifyWithLibraries(token) {
  const fromJsonwebtoken = jwt.verify(token, SECRET, { algorithms: ["HS256"] });
  const { payload, protectedHeader } = await jose.jwtVerify(
    token,
    new TextEncoder().encode(SECRET),
    { algorithms: ["HS256"] },
  );
  assert.deepEqual(protectedHeader, { alg: "HS256", typ: "JWT" });
  assert.deepEqual(payload, fromJsonwebtoken);
  return fromJsonwebtoken;
}

// Each case calls the same method with the same arguments on both SDKs. The official SDK
// mutates its payload argument, so every call gets a fresh copy.
const signingCases = [
  {
    name: "user token with iat and exp",
    method: "generateUserToken",
    args: () => [{ user_id: "alice", iat: NOW_SECS - 10, exp: NOW_SECS + 600 }],
  },
  {
    name: "user token with validity",
    method: "generateUserToken",
    args: () => [{ user_id: "alice", iat: NOW_SECS - 10, validity_in_seconds: 120 }],
  },
  {
    name: "user token with default validity",
    method: "generateUserToken",
    args: () => [{ user_id: "bob", iat: NOW_SECS }],
  },
  {
    name: "user token with extra claims",
    method: "generateUserToken",
    args: () => [
      { user_id: "carol", iat: NOW_SECS, exp: NOW_SECS + 60, plan: "pro", tags: ["a", "b"], n: 3 },
    ],
  },
  {
    name: "call token with role",
    method: "generateCallToken",
    args: () => [
      {
        user_id: "dave",
        call_cids: ["default:standup", "livestream:launch-2024"],
        role: "admin",
        iat: NOW_SECS,
        exp: NOW_SECS + 900,
      },
    ],
  },
  {
    name: "call token without role",
    method: "generateCallToken",
    args: () => [{ user_id: "dave", call_cids: ["default:a"], iat: NOW_SECS, validity_in_seconds: 30 }],
  },
  {
    name: "createToken with exp and iat",
    method: "createToken",
    args: () => ["erin", NOW_SECS + 300, NOW_SECS - 5],
  },
  {
    name: "createCallToken with a user id",
    method: "createCallToken",
    args: () => ["frank", ["default:x"], NOW_SECS + 300, NOW_SECS - 5],
  },
  {
    name: "createCallToken with user and role",
    method: "createCallToken",
    args: () => [
      { user_id: "frank", role: "host" },
      ["default:x", "audio_room:y"],
      NOW_SECS + 300,
      NOW_SECS,
    ],
  },
];

describe("token signing", () => {
  for (const { name, method, args } of signingCases) {
    test(`${name} matches the official SDK`, async () => {
      const token = ours[method](...args());
      const expected = decodePart(official[method](...args()), 1);

      assert.deepEqual(decodePart(token, 0), { alg: "HS256", typ: "JWT" });
      const claims = await verifyWithLibraries(token);
      assert.deepEqual(claims, expected);
    });
  }

  // Frozen at a time with a fractional second, where rounding and flooring differ.
  const FROZEN_MS = 1_900_000_000_700;

  const defaultCases = [
    ["generateUserToken", () => [{ user_id: "gina" }]],
    ["generateCallToken", () => [{ user_id: "gina", call_cids: ["default:a"] }]],
    ["createToken", () => ["gina"]],
    ["createCallToken", () => ["gina", ["default:a"]]],
  ];

  for (const [method, args] of defaultCases) {
    test(`${method} defaults iat and exp like the official SDK`, (t) => {
      t.mock.timers.enable({ apis: ["Date"], now: FROZEN_MS });

      const claims = decodePart(ours[method](...args()), 1);
      const expected = decodePart(official[method](...args()), 1);

      assert.deepEqual(claims, expected);
      assert.equal(claims.iat, Math.floor(FROZEN_MS / 1000) - 1);
    });
  }

  // These arguments take the entry point's direct path, which writes the claims without
  // converting the payload to JSON. The tokens must equal the official SDK's byte for byte.
  const directUserIds = ["gina", 'quote"back\\slash', "tab\tline\n\u0001", "ünï-名前-😀", "</x>&"];
  const directCases = directUserIds.flatMap((userId) => [
    ["generateUserToken", () => [{ user_id: userId }]],
    ["generateUserToken", () => [{ user_id: userId, validity_in_seconds: 86_400 }]],
    ["createToken", () => [userId]],
  ]);

  for (const [method, args] of directCases) {
    test(`${method}(${JSON.stringify(args())}) equals the official token`, (t) => {
      t.mock.timers.enable({ apis: ["Date"], now: FROZEN_MS });

      assert.equal(ours[method](...args()), official[method](...args()));
    });
  }

  test("direct path leaves lone surrogates to the checks", () => {
    const error = thrownBy(() => ours.generateUserToken({ user_id: "a\ud800b" }));

    assertStreamError(error, StreamError, {
      kind: "invalid_argument",
      operation: "generateUserToken",
    });
  });

  test("tokens differ per secret", () => {
    const other = new StreamClient(API_KEY, `${SECRET}-other`);
    const payload = { user_id: "alice", iat: NOW_SECS, exp: NOW_SECS + 60 };

    assert.notEqual(ours.generateUserToken({ ...payload }), other.generateUserToken({ ...payload }));
  });

  test("payload argument is not modified", () => {
    const payload = { user_id: "alice", validity_in_seconds: 60 };

    ours.generateUserToken(payload);

    assert.deepEqual(payload, { user_id: "alice", validity_in_seconds: 60 });
  });
});

describe("token input checks", () => {
  const cases = [
    ["missing user_id", () => ours.generateUserToken({}), /user_id/],
    ["numeric user_id", () => ours.generateUserToken({ user_id: 42 }), /user_id.*42/],
    ["empty user_id", () => ours.createToken(""), /user_id/],
    ["exp in the past", () => ours.generateUserToken({ user_id: "a", exp: 1_000 }), /exp.*1000/],
    [
      "exp in milliseconds",
      () => ours.generateUserToken({ user_id: "a", exp: 1_900_000_000_000 }),
      /exp.*1900000000000.*millisecond/i,
    ],
    [
      "iat in milliseconds",
      () => ours.generateUserToken({ user_id: "a", iat: 1_700_000_000_000 }),
      /iat.*1700000000000.*millisecond/i,
    ],
    [
      "negative validity",
      () => ours.generateUserToken({ user_id: "a", validity_in_seconds: -5 }),
      /validity_in_seconds.*-5/,
    ],
    [
      "fractional validity",
      () => ours.generateUserToken({ user_id: "a", validity_in_seconds: 1.5 }),
      /validity_in_seconds.*1\.5/,
    ],
    [
      "empty call_cids",
      () => ours.generateCallToken({ user_id: "a", call_cids: [] }),
      /call_cids/,
    ],
    [
      "cid without a type",
      () => ours.generateCallToken({ user_id: "a", call_cids: ["standup"] }),
      /call_cids.*standup.*type:id/,
    ],
    [
      "createCallToken cid without an id",
      () => ours.createCallToken("a", ["default:"]),
      /call_cids.*default:/,
    ],
  ];

  for (const [name, call, message] of cases) {
    test(`${name} is rejected`, () => {
      const error = thrownBy(call);

      assertStreamError(error, StreamError, { kind: "invalid_argument", message });
      assert.ok(!error.message.includes(SECRET), "message leaks the secret");
    });
  }

  test("empty secret is rejected at construction", () => {
    const error = thrownBy(() => new StreamClient(API_KEY, ""));

    assertStreamError(error, StreamError, {
      kind: "invalid_argument",
      operation: "StreamClient",
      message: /^StreamClient: secret is empty/,
    });
  });
});

describe("verifyToken", () => {
  test("accepts tokens made by jsonwebtoken", () => {
    const token = jwt.sign({ user_id: "alice", exp: NOW_SECS + 60 }, SECRET, { algorithm: "HS256" });

    const claims = ours.verifyToken(token);

    assert.equal(claims.user_id, "alice");
    assert.equal(claims.exp, NOW_SECS + 60);
    assert.equal(typeof claims.iat, "number");
  });

  test("accepts server tokens without time claims", () => {
    const token = jwt.sign({ server: true }, SECRET, { algorithm: "HS256", noTimestamp: true });

    assert.deepEqual(ours.verifyToken(token), { server: true });
  });

  test("accepts its own tokens", () => {
    const token = ours.generateCallToken({ user_id: "bob", call_cids: ["default:a"], role: "admin" });

    const claims = ours.verifyToken(token);

    assert.equal(claims.user_id, "bob");
    assert.deepEqual(claims.call_cids, ["default:a"]);
    assert.equal(claims.role, "admin");
  });

  const valid = jwt.sign({ user_id: "alice" }, SECRET, { algorithm: "HS256" });
  const [header, payload, signature] = valid.split(".");
  const encode = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");

  const rejected = [
    [
      "wrong secret",
      jwt.sign({ user_id: "alice" }, "not-the-secret", { algorithm: "HS256" }),
      /signature/i,
    ],
    [
      "tampered payload",
      `${header}.${encode({ user_id: "admin", iat: NOW_SECS })}.${signature}`,
      /signature/i,
    ],
    ["tampered signature", `${header}.${payload}.${signature.slice(0, -2)}AA`, /signature/i],
    ["alg none", `${encode({ alg: "none", typ: "JWT" })}.${payload}.`, /none/],
    ["alg HS512", jwt.sign({ user_id: "alice" }, SECRET, { algorithm: "HS512" }), /HS512/],
    [
      "expired",
      jwt.sign({ user_id: "alice", iat: NOW_SECS - 7200, exp: NOW_SECS - 3600 }, SECRET),
      /expired/i,
    ],
    ["issued in the future", jwt.sign({ user_id: "alice", iat: NOW_SECS + 3600 }, SECRET), /future/i],
    ["two parts", `${header}.${payload}`, /three parts|malformed/i],
    ["empty string", "", /three parts|malformed|empty/i],
  ];

  for (const [name, token, message] of rejected) {
    test(`rejects ${name}`, () => {
      const error = thrownBy(() => ours.verifyToken(token));

      assertStreamError(error, StreamError, { message });
      assert.ok(!error.message.includes(SECRET), "message leaks the secret");
    });
  }
});

describe("verifyWebhook", () => {
  const body = JSON.stringify({ type: "user.updated", user: { id: "alice", name: "Zoë" } });
  const signature = createHmac("sha256", SECRET).update(body).digest("hex");

  const cases = [
    ["valid signature", body, signature],
    ["valid signature over bytes", new TextEncoder().encode(body), signature],
    ["tampered body", body.replace("alice", "mallory"), signature],
    ["uppercase hex", body, signature.toUpperCase()],
    ["truncated signature", body, signature.slice(0, 32)],
    ["empty signature", body, ""],
    ["signature of another secret", body, createHmac("sha256", "x").update(body).digest("hex")],
  ];

  for (const [name, requestBody, header] of cases) {
    test(`${name} gives the official SDK's answer`, () => {
      const officialBody = requestBody instanceof Uint8Array ? Buffer.from(requestBody) : requestBody;
      const expected = official.verifyWebhook(officialBody, header);

      assert.equal(ours.verifyWebhook(requestBody, header), expected);
    });
  }

  test("valid signature is accepted", () => {
    assert.equal(ours.verifyWebhook(body, signature), true);
  });
});
