// Decodes a JWT for display and checks whether the sandbox accepts the token the way a
// client-side SDK presents it: a user query authorized by the token instead of a server token.

import { FormError } from "./form-values.mjs";

/** Splits a compact JWT and decodes its header and claims; the signature is not checked here. */
export function decodeToken(token) {
  const parts = token.split(".");
  if (parts.length !== 3) {
    throw new FormError(`A JWT has 3 dot-separated parts, this token has ${parts.length}.`);
  }
  return {
    header: decodeSegment(parts[0], "header"),
    claims: decodeSegment(parts[1], "claims"),
  };
}

function decodeSegment(segment, name) {
  try {
    const base64 = segment.replaceAll("-", "+").replaceAll("_", "/");
    const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
    const bytes = Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new FormError(`The token's ${name} is not base64url-encoded JSON (${error.message}).`);
  }
}

/** Returns `[label, value]` pairs that spell out the time claims as dates. */
export function timeClaimFields(claims) {
  const asDate = (seconds) =>
    typeof seconds === "number" ? new Date(seconds * 1000).toISOString() : undefined;
  return [
    ["issued at (iat)", asDate(claims.iat)],
    ["expires (exp)", asDate(claims.exp)],
  ];
}

/**
 * Sends `GET /api/v2/users` with the token as the `Authorization` header and returns
 * `{ accepted, status, code, message }`. The query filters on the token's own user.
 */
export async function checkTokenWithSandbox({ basePath, apiKey, timeout }, token, claims) {
  const userId = claims.user_id;
  const filter = typeof userId === "string" ? { id: { $eq: userId } } : { id: { $exists: true } };
  const url = new URL("/api/v2/users", basePath);
  url.searchParams.set("api_key", apiKey);
  url.searchParams.set("payload", JSON.stringify({ filter_conditions: filter, limit: 1 }));

  const response = await fetch(url, {
    headers: { Authorization: token, "stream-auth-type": "jwt" },
    signal: AbortSignal.timeout(timeout),
  });
  const body = await response.json().catch(() => ({}));
  return {
    accepted: response.ok,
    status: response.status,
    code: body.code,
    message: body.message,
  };
}
