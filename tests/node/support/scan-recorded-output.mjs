// The suite-wide secret check: searches the files that output-record.mjs wrote for every
// listed secret, raw or encoded (secretEncodings), and fails when one is found. It also
// fails when a record category is empty, so that it cannot pass without having seen anything.
//
// Usage: node tests/node/support/scan-recorded-output.mjs [folder]
// The folder defaults to test-output/secret-scan/.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

import { CATEGORIES, RECORD_DIR } from "./output-record.mjs";
import { secretEncodings } from "./secret-scan.mjs";

/** Returns the secrets listed in `secrets-*.txt` files, one JSON string per line. */
function readSecrets(dir, files) {
  const secrets = new Set();
  for (const file of files.filter((name) => /^secrets-.*\.txt$/.test(name))) {
    for (const line of readFileSync(join(dir, file), "utf8").split("\n")) {
      if (line !== "") secrets.add(JSON.parse(line));
    }
  }
  return [...secrets];
}

/** Returns `{ source, category, text }` for each record and sandbox log line. */
function readRecords(dir, files) {
  const records = [];
  for (const file of files) {
    const content = readFileSync(join(dir, file), "utf8");
    if (/^records-.*\.jsonl$/.test(file)) {
      content.split("\n").forEach((line, index) => {
        if (line === "") return;
        const { category, label, text } = JSON.parse(line);
        records.push({ source: `${file}:${index + 1} (${label})`, category, text });
      });
    } else if (/^sandbox-.*\.log$/.test(file)) {
      content.split("\n").forEach((line, index) => {
        if (line !== "") records.push({ source: `${file}:${index + 1}`, category: "sandbox", text: line });
      });
    }
  }
  return records;
}

/**
 * Scans the recorded files in `dir`. Returns `{ problems, counts, secrets }`: `problems` is
 * empty when the records are complete and show no secret.
 */
export function scanRecordedOutput(dir) {
  if (!existsSync(dir)) {
    return { problems: [`${dir} does not exist: no suite recorded anything`], counts: {}, secrets: [] };
  }
  const files = readdirSync(dir).sort();
  const secrets = readSecrets(dir, files);
  const records = readRecords(dir, files);

  const problems = [];
  if (secrets.length === 0) problems.push(`${dir} lists no secrets (secrets-*.txt)`);
  const counts = Object.fromEntries(CATEGORIES.map((category) => [category, 0]));
  for (const record of records) counts[record.category] = (counts[record.category] ?? 0) + 1;
  for (const category of CATEGORIES) {
    if (counts[category] === 0) problems.push(`${dir} has no ${category} records`);
  }

  for (const secret of secrets) {
    const forms = secretEncodings(secret);
    for (const record of records) {
      const form = forms.find((candidate) => record.text.includes(candidate));
      if (form === undefined) continue;
      const found = form === secret ? "the secret" : "an encoding of the secret";
      const masked = record.text.replaceAll(form, "[SECRET]").slice(0, 300);
      problems.push(`${record.source} shows ${found}: ${masked}`);
    }
  }
  return { problems, counts, secrets };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = process.argv[2] ?? RECORD_DIR;
  const { problems, counts, secrets } = scanRecordedOutput(dir);
  const summary = Object.entries(counts)
    .map(([category, count]) => `${count} ${category}`)
    .join(", ");
  console.log(`secret scan of ${dir}: ${secrets.length} secrets, records: ${summary}`);
  if (problems.length > 0) {
    for (const problem of problems) console.error(`secret scan: ${problem}`);
    process.exitCode = 1;
  }
}
