// Type-checks the TypeScript consumer in tests/typescript against the installed package's
// declarations with the project's own `typescript`.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const tsc = fileURLToPath(new URL("../../node_modules/typescript/bin/tsc", import.meta.url));
const project = fileURLToPath(new URL("../typescript/tsconfig.json", import.meta.url));

function typeCheck(extraArgs) {
  const result = spawnSync(process.execPath, [tsc, "--project", project, ...extraArgs], {
    encoding: "utf8",
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

test("consumer compiles with module nodenext", () => {
  const { status, output } = typeCheck([]);

  assert.equal(output.trim(), "");
  assert.equal(status, 0);
});

test("consumer compiles with module node16", () => {
  const { status, output } = typeCheck(["--module", "node16", "--moduleResolution", "node16"]);

  assert.equal(output.trim(), "");
  assert.equal(status, 0);
});

test("consumer compiles with bundler resolution", () => {
  const { status, output } = typeCheck(["--module", "esnext", "--moduleResolution", "bundler"]);

  assert.equal(output.trim(), "");
  assert.equal(status, 0);
});
