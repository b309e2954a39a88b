// Signing throughput of one contender for one token kind, run in a fresh process of Node,
// Deno or Bun so that no other library shares its JIT state. Prints one JSON line.
//
//   node|deno run -A|bun  bench/tokens/sign-worker.mjs CONTENDER KIND ROUND_MS ROUNDS [ENTRY]
//
// CONTENDER is one of the keys of CONTENDERS; KIND is `user` or `call`; ENTRY is the
// stream-edge entry point for this runtime (a path or URL, default pkg/node.mjs).
import {
  API_KEY,
  API_SECRET,
  CALL_CIDS,
  CALL_ROLE,
  callClaims,
  checkTokenShape,
  userClaims,
  userId,
} from "../lib/claims.mjs";
import { measureOpsPerSecond } from "../lib/loop.mjs";

const JOSE_URL = new URL("../../node_modules/jose/dist/webapi/index.js", import.meta.url);

/** Each contender returns `{ isAsync, user(i), call(i) }` signing the shared claims shape. */
const CONTENDERS = {
  async "stream-edge"(entry) {
    const { StreamClient } = await import(entry);
    const client = new StreamClient(API_KEY, API_SECRET);
    return {
      isAsync: false,
      user: (i) => client.generateUserToken({ user_id: userId(i) }),
      call: (i) =>
        client.generateCallToken({ user_id: userId(i), call_cids: CALL_CIDS, role: CALL_ROLE }),
    };
  },

  async "@stream-io/node-sdk"() {
    const { StreamClient } = await import("@stream-io/node-sdk");
    const client = new StreamClient(API_KEY, API_SECRET);
    return {
      isAsync: false,
      user: (i) => client.generateUserToken({ user_id: userId(i) }),
      call: (i) =>
        client.generateCallToken({ user_id: userId(i), call_cids: CALL_CIDS, role: CALL_ROLE }),
    };
  },

  async "fast-jwt"() {
    const { createSigner } = await import("fast-jwt");
    // fast-jwt keeps a payload's own iat unless `noTimestamp` is set, which drops it.
    const sign = createSigner({ key: API_SECRET, algorithm: "HS256" });
    return {
      isAsync: false,
      user: (i) => sign(userClaims(i)),
      call: (i) => sign(callClaims(i)),
    };
  },

  async jsonwebtoken() {
    const { default: jwt } = await import("jsonwebtoken");
    // jsonwebtoken keeps a payload's own iat when `noTimestamp` is unset.
    const options = { algorithm: "HS256" };
    return {
      isAsync: false,
      user: (i) => jwt.sign(userClaims(i), API_SECRET, options),
      call: (i) => jwt.sign(callClaims(i), API_SECRET, options),
    };
  },

  async jose() {
    const { SignJWT } = await import(JOSE_URL.href);
    // Importing the key once is the fastest way to use jose, so it gets that advantage.
    const key = await crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(API_SECRET),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    const header = { alg: "HS256", typ: "JWT" };
    return {
      isAsync: true,
      user: (i) => new SignJWT(userClaims(i)).setProtectedHeader(header).sign(key),
      call: (i) => new SignJWT(callClaims(i)).setProtectedHeader(header).sign(key),
    };
  },
};

const args = globalThis.Deno ? globalThis.Deno.args : process.argv.slice(2);
const [contenderName, kind, roundMs, rounds, entryArg = "../../pkg/node.mjs"] = args;
const makeContender = CONTENDERS[contenderName];
if (!makeContender) {
  throw new Error(`unknown contender ${JSON.stringify(contenderName)}`);
}
if (kind !== "user" && kind !== "call") {
  throw new Error(`unknown token kind ${JSON.stringify(kind)}; expected user or call`);
}

const contender = await makeContender(new URL(entryArg, import.meta.url).href);
const sign = contender[kind];
checkTokenShape(await sign(0), kind, contenderName);

const result = await measureOpsPerSecond(sign, {
  isAsync: contender.isAsync,
  warmupMs: Number(roundMs),
  roundMs: Number(roundMs),
  rounds: Number(rounds),
  maxOpsPerRound: 5_000_000,
});
console.log(JSON.stringify({ contender: contenderName, kind, ...result }));
