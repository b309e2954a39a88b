// One cold-start sample in a fresh Node process: load a library, create its signer and sign
// the first user token, timing each step from before the first import. Prints one JSON line.
//
//   node bench/coldstart/node-child.mjs CONTENDER
//
// Static imports would run before the clock starts, so every library is loaded with import().
const start = performance.now();

const API_SECRET = "bench-secret-0123456789abcdefghijklmnopqrstuvwxyz-0123456789abcd";
const CLAIMS = { user_id: "cold-start-user", iat: Math.floor(Date.now() / 1000) - 1 };
CLAIMS.exp = CLAIMS.iat + 3600;

const pkgUrl = (path) => new URL(`../../pkg/${path}`, import.meta.url);

/** Each contender returns its first token and records step end times in `marks`. */
const CONTENDERS = {
  // Node's own cost of loading one small ES module, which every library pays as well.
  async "empty module"(marks) {
    await import("./empty-module.mjs");
    marks.load = performance.now();
    return "eyJ.e30.empty";
  },

  // The package as users load it: pkg/node.mjs reads and instantiates the wasm on import.
  async "stream-edge"(marks) {
    const { StreamClient } = await import(pkgUrl("node.mjs"));
    marks.load = performance.now();
    const client = new StreamClient("bench-key", API_SECRET);
    return client.generateUserToken({ user_id: CLAIMS.user_id });
  },

  // The same work as pkg/node.mjs, step by step, to show where the time goes. The entry
  // point contains its StreamError class and its token path, so they have no step here.
  // A stand-in class is registered instead. The first token is signed through the export
  // that the entry point's generateUserToken calls for a `{ user_id }` payload.
  async "stream-edge (steps)"(marks) {
    const { readFileSync } = await import("node:fs");
    marks.fs_import = performance.now();
    class StreamError extends Error {}
    const glue = await import(pkgUrl("esm/stream_edge.js"));
    marks.glue_import = performance.now();
    const bytes = readFileSync(pkgUrl("esm/stream_edge_bg.wasm"));
    marks.read_wasm = performance.now();
    const module = new WebAssembly.Module(bytes);
    marks.compile = performance.now();
    glue.initSync({ module });
    glue.setStreamErrorClass(StreamError);
    marks.instantiate = performance.now();
    const client = new glue.StreamClient("bench-key", API_SECRET);
    return client.signUserTokenDirect(0, CLAIMS.user_id, 0);
  },

  async "@stream-io/node-sdk"(marks) {
    const { StreamClient } = await import("@stream-io/node-sdk");
    marks.load = performance.now();
    const client = new StreamClient("bench-key", API_SECRET);
    return client.generateUserToken({ user_id: CLAIMS.user_id });
  },

  async "fast-jwt"(marks) {
    const { createSigner } = await import("fast-jwt");
    marks.load = performance.now();
    return createSigner({ key: API_SECRET, algorithm: "HS256" })(CLAIMS);
  },

  async jsonwebtoken(marks) {
    const { default: jwt } = await import("jsonwebtoken");
    marks.load = performance.now();
    return jwt.sign(CLAIMS, API_SECRET, { algorithm: "HS256" });
  },

  async jose(marks) {
    const { SignJWT } = await import("jose");
    marks.load = performance.now();
    const key = await crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(API_SECRET),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    return new SignJWT(CLAIMS).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(key);
  },
};

const name = process.argv[2];
const contender = CONTENDERS[name];
if (!contender) {
  throw new Error(`unknown contender ${JSON.stringify(name)}`);
}
const marks = {};
const token = await contender(marks);
const end = performance.now();
if (typeof token !== "string" || token.split(".").length !== 3) {
  throw new Error(`${name} returned no JWT: ${String(token)}`);
}

// Convert end times into step durations, in the order the steps ran.
const steps = {};
let previous = start;
for (const [step, at] of Object.entries(marks)) {
  steps[step] = at - previous;
  previous = at;
}
steps.first_token = end - previous;
console.log(JSON.stringify({ contender: name, total_ms: end - start, steps }));
