// Records, for the suite-wide secret check, everything the Node suites' clients and
// sandboxes produce that could end up in a log: errors, logger calls, client objects and
// the sandbox's stdout and stderr. Each process appends to its own files under
// test-output/secret-scan/ (or $SECRET_SCAN_DIR), and scan-recorded-output.mjs searches
// them for every secret listed there.
import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { renderings } from "./secret-scan.mjs";

/** The folder of the recorded files. */
export const RECORD_DIR =
  process.env.SECRET_SCAN_DIR ??
  fileURLToPath(new URL("../../../test-output/secret-scan/", import.meta.url));

/**
 * Secrets shorter than this are not listed for the scan: a test passing "secret" or "s"
 * would otherwise match ordinary words in messages.
 */
export const MIN_SECRET_LENGTH = 12;

/** Record categories; the scan fails when any of them is empty. */
export const CATEGORIES = ["error", "logger", "client", "sandbox"];

let folderReady = false;
const listedSecrets = new Set();

function append(fileName, text) {
  if (!folderReady) {
    mkdirSync(RECORD_DIR, { recursive: true });
    folderReady = true;
  }
  appendFileSync(join(RECORD_DIR, fileName), text);
}

/** Lists `secret` for the scan, when it is a string of at least MIN_SECRET_LENGTH characters. */
export function listSecret(secret) {
  if (typeof secret !== "string" || secret.length < MIN_SECRET_LENGTH) return;
  if (listedSecrets.has(secret)) return;
  listedSecrets.add(secret);
  append(`secrets-${process.pid}.txt`, `${JSON.stringify(secret)}\n`);
}

/**
 * Records every rendering of `value` (String, JSON.stringify, util.inspect, and for errors
 * the stack and cause) under `category` and `label`.
 */
export function recordValue(category, label, value) {
  let lines = "";
  for (const text of renderings(value)) {
    lines += `${JSON.stringify({ category, label, text })}\n`;
  }
  append(`records-${process.pid}.jsonl`, lines);
}

/** Records one line the sandbox process `sandboxPid` wrote to `stream` (stdout or stderr). */
export function recordSandboxLine(sandboxPid, stream, line) {
  append(`sandbox-${process.pid}-${sandboxPid}.log`, `${stream}: ${line}\n`);
}
