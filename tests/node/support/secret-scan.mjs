// Collects everything a suite's clients produce that a user might print or log (errors,
// logger messages and events, the client object itself) and checks none of it shows the
// API secret.
import assert from "node:assert/strict";
import { inspect } from "node:util";

/** Returns every string form of `value` that a user might log. */
export function renderings(value) {
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

/**
 * Returns the substrings that show `bytes` in base64 with `alphabet` ("base64" or
 * "base64url") when they start `offset` bytes (0 to 2) into a longer encoded value. Only
 * the characters that depend on `bytes` alone are kept, so the substring matches whatever
 * bytes surround the secret.
 */
function base64Fragment(bytes, offset, alphabet) {
  const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString(alphabet);
  const firstChar = Math.ceil((offset * 8) / 6);
  const endChar = Math.floor(((offset + bytes.length) * 8) / 6);
  return encoded.slice(firstChar, endChar);
}

/**
 * Returns the forms of `secret` to search for: the text itself, base64 and base64url at
 * any byte alignment, hex in both cases and URL encoding.
 */
export function secretEncodings(secret) {
  const bytes = Buffer.from(secret);
  const forms = [secret, bytes.toString("hex"), bytes.toString("hex").toUpperCase()];
  for (const alphabet of ["base64", "base64url"]) {
    for (const offset of [0, 1, 2]) forms.push(base64Fragment(bytes, offset, alphabet));
  }
  forms.push(encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2));
  return [...new Set(forms)];
}

/** Records what a suite produces and checks it for one secret. */
export class SecretScan {
  constructor(secret) {
    this.secret = secret;
    this.encodings = secretEncodings(secret);
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
