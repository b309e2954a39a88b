// The suite-wide secret check itself (support/scan-recorded-output.mjs): it must find a
// planted secret in every form it searches for, and fail on missing records.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";

import { scanRecordedOutput } from "./support/scan-recorded-output.mjs";

const PLANTED = "planted-secret-4f1d9c";

/** Writes a record folder with one clean record per category, plus `extra` records. */
function recordFolder({ secrets = [PLANTED], extra = [], sandboxLines = ["stderr: INFO request"] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "secret-scan-"));
  folders.push(dir);
  writeFileSync(join(dir, "secrets-1.txt"), secrets.map((s) => `${JSON.stringify(s)}\n`).join(""));
  const records = [
    { category: "error", label: "upsertUsers rejected", text: "StreamError: upsertUsers failed" },
    { category: "logger", label: "logger message", text: "upsertUsers: retrying" },
    { category: "client", label: "StreamClient object", text: "StreamClient { __wbg_ptr: 1 }" },
    ...extra,
  ];
  writeFileSync(join(dir, "records-1.jsonl"), records.map((r) => `${JSON.stringify(r)}\n`).join(""));
  writeFileSync(join(dir, "sandbox-1-2.log"), sandboxLines.map((line) => `${line}\n`).join(""));
  return dir;
}

const folders = [];
after(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

describe("secret scan", () => {
  test("clean records pass", () => {
    const { problems, counts } = scanRecordedOutput(recordFolder());

    assert.deepEqual(problems, []);
    assert.deepEqual(counts, { error: 1, logger: 1, client: 1, sandbox: 1 });
  });

  const bytes = Buffer.from(PLANTED);
  const plantedForms = {
    raw: `message with ${PLANTED} inside`,
    base64: `token ${Buffer.concat([Buffer.from("x"), bytes]).toString("base64")}`,
    base64url: `jwt ${Buffer.concat([Buffer.from("ab"), bytes]).toString("base64url")}.sig`,
    hex: `digest ${bytes.toString("hex").toUpperCase()}`,
    url: `https://example.test/?secret=${encodeURIComponent(PLANTED)}`,
  };
  for (const [form, text] of Object.entries(plantedForms)) {
    test(`finds a ${form} secret in an error`, () => {
      const dir = recordFolder({ extra: [{ category: "error", label: "planted", text }] });

      const { problems } = scanRecordedOutput(dir);

      assert.equal(problems.length, 1, problems.join("\n"));
      assert.match(problems[0], /records-1\.jsonl:4 \(planted\) shows/);
      assert.ok(!problems[0].includes(PLANTED), "the report must mask the secret");
    });
  }

  test("finds the secret in a sandbox log line", () => {
    const dir = recordFolder({ sandboxLines: ["stderr: INFO ok", `stderr: DEBUG auth ${PLANTED}`] });

    const { problems } = scanRecordedOutput(dir);

    assert.equal(problems.length, 1, problems.join("\n"));
    assert.match(problems[0], /sandbox-1-2\.log:2 shows the secret/);
  });

  test("fails on an empty category", () => {
    const { problems } = scanRecordedOutput(recordFolder({ sandboxLines: [] }));

    assert.deepEqual(problems.map((p) => p.replace(/^\S+ /, "")), ["has no sandbox records"]);
  });

  test("fails without listed secrets", () => {
    const { problems } = scanRecordedOutput(recordFolder({ secrets: [] }));

    assert.equal(problems.length, 1);
    assert.match(problems[0], /lists no secrets/);
  });

  test("fails on a missing folder", () => {
    const { problems } = scanRecordedOutput(join(tmpdir(), "secret-scan-missing-folder"));

    assert.equal(problems.length, 1);
    assert.match(problems[0], /does not exist/);
  });
});
