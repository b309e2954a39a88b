// Calls on a freed StreamClient. scripts/build-pkg.sh copies this file into each entry
// point, so edit only this copy.

/** Methods that return their result directly. Every other method returns a promise. */
const SYNC_METHODS = new Set([
  "generateUserToken",
  "generateCallToken",
  "createToken",
  "createCallToken",
  "verifyToken",
  "verifyWebhook",
]);

/**
 * Makes every method of a client that was freed with `free()` fail with a StreamError of
 * kind `invalid_argument` naming the method, thrown by the token methods and rejected by the
 * others. Without this, wasm-bindgen throws a plain Error ("null pointer passed to rust").
 * A second `free()` does nothing. Call it after every other change to the prototype.
 */
export function rejectCallsAfterFree(StreamClient, StreamError) {
  const prototype = StreamClient.prototype;
  const freed = new WeakSet();
  const free = prototype.free;

  function freedError(operation) {
    const message =
      `${operation}: this StreamClient was freed with free(); create a new StreamClient ` +
      "to make more calls";
    return new StreamError(message, { operation, kind: "invalid_argument" });
  }

  for (const name of Object.getOwnPropertyNames(prototype)) {
    const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
    // Names starting with "__" are wasm-bindgen's own helpers, which free() itself calls.
    const internal = name.startsWith("__");
    if (internal || name === "constructor" || name === "free") continue;
    if (typeof descriptor.value !== "function") continue;
    const method = descriptor.value;
    const sync = SYNC_METHODS.has(name);
    // The check runs only when the call threw, so the token methods keep their speed. No
    // method takes more than four arguments.
    const guarded = {
      [name](first, second, third, fourth) {
        try {
          return method.call(this, first, second, third, fourth);
        } catch (thrown) {
          if (!freed.has(this)) throw thrown;
          const error = freedError(name);
          if (sync) throw error;
          return Promise.reject(error);
        }
      },
    }[name];
    Object.defineProperty(prototype, name, { ...descriptor, value: guarded });
  }

  function freeOnce() {
    if (freed.has(this)) return;
    free.call(this);
    freed.add(this);
  }
  Object.defineProperty(prototype, "free", {
    ...Object.getOwnPropertyDescriptor(prototype, "free"),
    value: freeOnce,
  });
  if (typeof Symbol.dispose === "symbol" && prototype[Symbol.dispose] === free) {
    Object.defineProperty(prototype, Symbol.dispose, {
      ...Object.getOwnPropertyDescriptor(prototype, Symbol.dispose),
      value: freeOnce,
    });
  }
}
