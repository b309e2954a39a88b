// Installs the built package from pkg/ into the test folders the way `npm install` would:
// `npm pack` applies the package's `files` whitelist, and the tarball is unpacked into
// node_modules/stream-edge of tests/node and tests/typescript. The package has no
// dependencies and no install scripts, so unpacking is all that `npm install` would do.
//
// Run it after `make pkg` and before `node --test tests/node/`.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const packageDir = join(repoRoot, "pkg");
const consumerDirs = [join(repoRoot, "tests/node"), join(repoRoot, "tests/typescript")];

if (!existsSync(join(packageDir, "package.json"))) {
  throw new Error(`no built package at ${packageDir}; run 'make pkg' first`);
}

const packDir = mkdtempSync(join(tmpdir(), "stream-edge-pack-"));
try {
  const output = execFileSync(
    "npm",
    ["pack", "--json", "--pack-destination", packDir, packageDir],
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
  );
  const [{ filename }] = JSON.parse(output);
  const tarball = join(packDir, filename);

  for (const consumerDir of consumerDirs) {
    const installDir = join(consumerDir, "node_modules", "stream-edge");
    rmSync(installDir, { recursive: true, force: true });
    mkdirSync(installDir, { recursive: true });
    execFileSync("tar", ["-xzf", tarball, "-C", installDir, "--strip-components=1"]);
    console.log(`installed ${filename} into ${installDir}`);
  }
} finally {
  rmSync(packDir, { recursive: true, force: true });
}
