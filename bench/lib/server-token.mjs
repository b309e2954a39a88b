// A server-side token (`{"server":true}`, HS256) built with node:crypto alone, for the
// hand-written requests that the SDKs are compared against.
import { createHmac } from "node:crypto";

const encode = (object) => Buffer.from(JSON.stringify(object)).toString("base64url");

export function serverToken(secret) {
  const signingInput = `${encode({ alg: "HS256", typ: "JWT" })}.${encode({ server: true })}`;
  const signature = createHmac("sha256", secret).update(signingInput).digest("base64url");
  return `${signingInput}.${signature}`;
}
