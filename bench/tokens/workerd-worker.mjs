// Worker for the workerd signing benchmark: `GET /?contender=C&kind=K&n=N` signs N tokens of
// kind K (`user` or `call`) with contender C (`stream-edge` or `jose`) and returns the last
// one. The host times requests of different N from outside, because a worker's own clock is
// not a reliable timer.
import { StreamClient } from "./pkg/workerd.mjs";
import { SignJWT } from "./jose.mjs";
import {
  API_KEY,
  API_SECRET,
  CALL_CIDS,
  CALL_ROLE,
  callClaims,
  userClaims,
  userId,
} from "./lib/claims.mjs";

const MAX_TOKENS_PER_REQUEST = 10_000_000;

const client = new StreamClient(API_KEY, API_SECRET);
const header = { alg: "HS256", typ: "JWT" };
const joseKey = crypto.subtle.importKey(
  "raw",
  new TextEncoder().encode(API_SECRET),
  { name: "HMAC", hash: "SHA-256" },
  false,
  ["sign"],
);

const SIGNERS = {
  "stream-edge": {
    user: async (n) => {
      let token = "";
      for (let i = 0; i < n; i++) token = client.generateUserToken({ user_id: userId(i) });
      return token;
    },
    call: async (n) => {
      let token = "";
      for (let i = 0; i < n; i++) {
        token = client.generateCallToken({
          user_id: userId(i),
          call_cids: CALL_CIDS,
          role: CALL_ROLE,
        });
      }
      return token;
    },
  },
  jose: {
    user: async (n) => {
      const key = await joseKey;
      let token = "";
      for (let i = 0; i < n; i++) {
        token = await new SignJWT(userClaims(i)).setProtectedHeader(header).sign(key);
      }
      return token;
    },
    call: async (n) => {
      const key = await joseKey;
      let token = "";
      for (let i = 0; i < n; i++) {
        token = await new SignJWT(callClaims(i)).setProtectedHeader(header).sign(key);
      }
      return token;
    },
  },
};

export default {
  async fetch(request) {
    const params = new URL(request.url).searchParams;
    const sign = SIGNERS[params.get("contender")]?.[params.get("kind")];
    const n = Number(params.get("n"));
    if (!sign || !Number.isInteger(n) || n < 0 || n > MAX_TOKENS_PER_REQUEST) {
      return new Response(`invalid query: ${params}`, { status: 400 });
    }
    return new Response(await sign(n));
  },
};
