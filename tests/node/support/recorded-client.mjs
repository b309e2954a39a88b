// A subclass of the package's StreamClient that records, for the suite-wide secret check,
// the client object, every error its constructor and methods throw or reject with, and
// every call of its logger. It calls the package's code unchanged; record-output.mjs puts
// it in place of the exported class.
import { listSecret, recordValue } from "./output-record.mjs";

/** Returns the error's name and kind, for a record label. */
function describeError(error) {
  return `${error?.name ?? typeof error} ${error?.kind ?? ""}`.trim();
}

/**
 * Returns `options` with its logger's `warn` recording each call, or `options` itself when
 * it has no logger with a `warn` function. Only a plain object whose `logger` is a data
 * property is copied, so that tests of getters, proxies and invalid options see their own
 * object.
 */
function withRecordedLogger(options) {
  if (options === null || typeof options !== "object") return options;
  if (Object.getPrototypeOf(options) !== Object.prototype) return options;
  const loggerProperty = Object.getOwnPropertyDescriptor(options, "logger");
  const logger = loggerProperty?.value;
  if (logger === null || typeof logger !== "object") return options;
  const warn = Object.getOwnPropertyDescriptor(logger, "warn")?.value;
  if (typeof warn !== "function") return options;

  const recordingLogger = Object.create(logger);
  recordingLogger.warn = function recordingWarn(message, event) {
    recordValue("logger", "logger message", message);
    recordValue("logger", `logger event of ${event?.operation}`, event);
    return warn.call(logger, message, event);
  };
  const copy = Object.create(Object.prototype, Object.getOwnPropertyDescriptors(options));
  Object.defineProperty(copy, "logger", { ...loggerProperty, value: recordingLogger });
  return copy;
}

/** Returns `method` wrapped so that what it throws, or its promise rejects with, is recorded. */
function recordingMethod(name, method) {
  const wrapper = {
    [name](...args) {
      let result;
      try {
        result = method.apply(this, args);
      } catch (error) {
        recordValue("error", `${name} threw ${describeError(error)}`, error);
        throw error;
      }
      if (result instanceof Promise) {
        return result.catch((error) => {
          recordValue("error", `${name} rejected with ${describeError(error)}`, error);
          throw error;
        });
      }
      return result;
    },
  };
  return wrapper[name];
}

/** Returns a recording subclass of the package's `PackageClient` class. */
export function recordedClientClass(PackageClient) {
  class StreamClient extends PackageClient {
    constructor(apiKey, secret, options) {
      listSecret(secret);
      try {
        super(apiKey, secret, withRecordedLogger(options));
      } catch (error) {
        recordValue("error", `StreamClient constructor threw ${describeError(error)}`, error);
        throw error;
      }
      recordValue("client", "StreamClient object", this);
    }
  }

  for (const name of Object.getOwnPropertyNames(PackageClient.prototype)) {
    const property = Object.getOwnPropertyDescriptor(PackageClient.prototype, name);
    if (name === "constructor" || typeof property.value !== "function") continue;
    Object.defineProperty(StreamClient.prototype, name, {
      ...property,
      value: recordingMethod(name, property.value),
    });
  }
  return StreamClient;
}
