// The one claims shape every token contender signs, in every runtime, so that throughput
// figures compare the same work. User tokens carry `{ user_id, iat, exp }` and call tokens
// `{ user_id, call_cids, role, iat, exp }`. As in the Stream SDKs' defaults, `iat` is one
// second in the past and the validity is one hour. Runtime-neutral.

export const API_KEY = "bench-key";
// A sandbox-only secret of the length Stream issues (64 characters).
export const API_SECRET = "bench-secret-0123456789abcdefghijklmnopqrstuvwxyz-0123456789abcd";

const USER_ID_COUNT = 1024;
export const USER_IDS = Array.from({ length: USER_ID_COUNT }, (_, i) => `bench-user-${i}`);
export const CALL_CIDS = ["default:bench-call"];
export const CALL_ROLE = "admin";
export const VALIDITY_SECONDS = 3600;

/** Expected claim names, sorted, per token kind. */
export const CLAIM_NAMES = {
  user: ["exp", "iat", "user_id"],
  call: ["call_cids", "exp", "iat", "role", "user_id"],
};

/** Returns the user ID for operation `i`; IDs cycle so no library can cache one token. */
export function userId(i) {
  return USER_IDS[i % USER_ID_COUNT];
}

/** Returns the claims of user token number `i`. */
export function userClaims(i) {
  const iat = Math.floor(Date.now() / 1000) - 1;
  return { user_id: userId(i), iat, exp: iat + VALIDITY_SECONDS };
}

/** Returns the claims of call token number `i`. */
export function callClaims(i) {
  const iat = Math.floor(Date.now() / 1000) - 1;
  return {
    user_id: userId(i),
    call_cids: CALL_CIDS,
    role: CALL_ROLE,
    iat,
    exp: iat + VALIDITY_SECONDS,
  };
}

/** Decodes a compact JWT and returns its header and payload objects (no verification). */
export function decodeToken(token) {
  const parts = token.split(".");
  if (parts.length !== 3) {
    throw new Error(`decodeToken: expected 3 dot-separated parts, got ${parts.length}`);
  }
  const decodePart = (part) => {
    const base64 = part.replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, "=")));
  };
  return { header: decodePart(parts[0]), payload: decodePart(parts[1]) };
}

/**
 * Throws unless `token` is an HS256 JWT whose claim names are exactly those of `kind`, so a
 * contender that signs a different shape cannot enter the comparison.
 */
export function checkTokenShape(token, kind, contender) {
  const { header, payload } = decodeToken(token);
  const names = Object.keys(payload).sort().join(",");
  const expected = CLAIM_NAMES[kind].join(",");
  if (header.alg !== "HS256" || names !== expected) {
    throw new Error(
      `${contender} ${kind} token has alg ${header.alg} and claims [${names}]; ` +
        `expected HS256 and [${expected}]`,
    );
  }
}
