// Direct paths of the token methods for their most common arguments. scripts/build-pkg.sh
// copies this file into each entry point, so edit only this copy.

/** Whole numbers up to this many seconds of validity take the direct path. */
const MAX_DIRECT_VALIDITY = 2 ** 53;

/**
 * Replaces `generateUserToken` and `createToken` of `StreamClient` with methods that pass
 * the common arguments (`{ user_id }`, `{ user_id, validity_in_seconds }` and a lone user
 * ID) to the WebAssembly export `signUserTokenDirect` as plain values. That skips the
 * conversion of the payload to JSON. Any other argument, and an empty result (the export
 * found a case the general method must judge), go to the general method, which validates
 * and reports errors as before. The tokens are identical on both paths. A trap in the
 * export (a Rust panic) becomes the same `internal` StreamError that the general methods
 * throw for one.
 */
export function addDirectTokenPaths(StreamClient) {
  const prototype = StreamClient.prototype;
  const signDirect = prototype.signUserTokenDirect;
  const directFailure = prototype.directTokenFailure;
  const generalUserToken = prototype.generateUserToken;
  const generalCreateToken = prototype.createToken;
  delete prototype.signUserTokenDirect;
  delete prototype.directTokenFailure;

  function sign(client, shape, userId, validity) {
    try {
      return signDirect.call(client, shape, userId, validity);
    } catch (thrown) {
      if (thrown instanceof WebAssembly.RuntimeError) {
        throw directFailure.call(client, shape, thrown);
      }
      throw thrown;
    }
  }

  /** Returns `[shape, user_id, validity]` for a payload of the direct path, or undefined. */
  function directArguments(payload) {
    if (
      typeof payload !== "object" ||
      payload === null ||
      Object.getPrototypeOf(payload) !== Object.prototype
    ) {
      return undefined;
    }
    const keys = Object.keys(payload);
    const userId = payload.user_id;
    if (keys[0] !== "user_id" || typeof userId !== "string") return undefined;
    if (keys.length === 1) return [0, userId, 0];
    if (keys.length !== 2 || keys[1] !== "validity_in_seconds") return undefined;
    const validity = payload.validity_in_seconds;
    if (Number.isInteger(validity) && validity >= 0 && validity <= MAX_DIRECT_VALIDITY) {
      return [1, userId, validity];
    }
    return undefined;
  }

  function generateUserToken(payload) {
    let direct;
    try {
      direct = directArguments(payload);
    } catch {
      // A throwing getter or proxy trap: the general method reports it.
    }
    const token = direct === undefined ? "" : sign(this, ...direct);
    return token !== "" ? token : generalUserToken.call(this, payload);
  }

  function createToken(userId, exp, iat) {
    const direct = typeof userId === "string" && exp === undefined && iat === undefined;
    const token = direct ? sign(this, 2, userId, 0) : "";
    return token !== "" ? token : generalCreateToken.call(this, userId, exp, iat);
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
