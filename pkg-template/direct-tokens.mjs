// Direct paths of the token methods for their most common arguments. scripts/build-pkg.sh
// copies this file into each entry point, so edit only this copy.

/** Whole numbers up to this many seconds of validity take the direct path. */
const MAX_DIRECT_VALIDITY = 2 ** 53;

/**
 * Replaces `generateUserToken` and `createToken` of `StreamClient` with methods that pass
 * the common arguments (`{ user_id }`, `{ user_id, validity_in_seconds }` and a lone user
 * ID) to the WebAssembly export `signUserTokenDirect` as plain values. That skips the
 * conversion of the payload to JSON. Any other argument, an empty result (the export found
 * a case the general method must judge) and any exception go to the general method, which
 * validates and reports errors as before. The tokens are identical on both paths.
 */
export function addDirectTokenPaths(StreamClient) {
  const prototype = StreamClient.prototype;
  const signDirect = prototype.signUserTokenDirect;
  const generalUserToken = prototype.generateUserToken;
  const generalCreateToken = prototype.createToken;
  delete prototype.signUserTokenDirect;

  function generateUserToken(payload) {
    try {
      if (
        typeof payload === "object" &&
        payload !== null &&
        Object.getPrototypeOf(payload) === Object.prototype
      ) {
        const keys = Object.keys(payload);
        const userId = payload.user_id;
        if (keys[0] === "user_id" && typeof userId === "string") {
          let token = "";
          if (keys.length === 1) {
            token = signDirect.call(this, 0, userId, 0);
          } else if (keys.length === 2 && keys[1] === "validity_in_seconds") {
            const validity = payload.validity_in_seconds;
            if (Number.isInteger(validity) && validity >= 0 && validity <= MAX_DIRECT_VALIDITY) {
              token = signDirect.call(this, 1, userId, validity);
            }
          }
          if (token !== "") return token;
        }
      }
    } catch {
      // A throwing getter or a trap in the export: the general method reports it.
    }
    return generalUserToken.call(this, payload);
  }

  function createToken(userId, exp, iat) {
    if (typeof userId === "string" && exp === undefined && iat === undefined) {
      try {
        const token = signDirect.call(this, 2, userId, 0);
        if (token !== "") return token;
      } catch {
        // A trap in the export: the general method reports it.
      }
    }
    return generalCreateToken.call(this, userId, exp, iat);
  }

  for (const method of [generateUserToken, createToken]) {
    Object.defineProperty(prototype, method.name, {
      value: method,
      writable: true,
      enumerable: false,
      configurable: true,
    });
  }
}
