// Collects everything a suite's clients produce that a user might print or log (errors,
// logger messages and events, the client object itself) and checks none of it shows the
// API secret.
import assert from "node:assert/strict";
import { inspect } from "node:util";

/** Returns every string form of `value` that a user might log. */
function renderings(value) {
  const texts = [
    typeof value === "string" ? value : String(value),
    JSON.stringify(value, (_key, item) => (typeof item === "bigint" ? String(item) : item)) ?? "",
    inspect(value, { showHidden: true, depth: Infinity, getters: true }),
  ];
  if (value instanceof Error) {
    texts.push(String(value.stack), inspect(value.cause, { showHidden: true, depth: Infinity }));
  }
  return texts;
}

/** Records what a suite produces and checks it for one secret. */
export class SecretScan {
  constructor(secret) {
    this.secret = secret;
    this.encodings = [
      secret,
      Buffer.from(secret).toString("base64"),
      Buffer.from(secret).toString("base64url"),
      Buffer.from(secret).toString("hex"),
      encodeURIComponent(secret),
    ];
    /** `[label, text]` pairs, in the order they were recorded. */
    this.records = [];
  }

  /** Records every rendering of `value` under `label`. */
  record(label, value) {
    for (const text of renderings(value)) this.records.push([label, text]);
  }

  /** Returns a `logger` option whose `warn` calls land in `events` and in the scan. */
  logger(events) {
    return {
      warn: (message, event) => {
        events.push({ message, event });
        this.record("logger message", message);
        this.record(`logger event of ${event.operation}`, event);
      },
    };
  }

  /** Returns the number of records whose label starts with `prefix`. */
  count(prefix) {
    return this.records.filter(([label]) => label.startsWith(prefix)).length;
  }

  /** Fails when any record contains the secret, raw or encoded. */
  assertClean() {
    for (const [label, text] of this.records) {
      for (const encoded of this.encodings) {
        assert.ok(!text.includes(encoded), `${label} shows the secret: ${text.slice(0, 500)}`);
      }
    }
  }
}
