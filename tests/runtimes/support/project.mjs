// Builds the consumer project that every runner uses: a copy of tests/runtimes/project/
// and of the scenario, with the built package installed into node_modules/stream-edge the
// way `npm install` would install the published tarball.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const runtimesDir = join(repoRoot, "tests/runtimes");

/**
 * Creates `projectDir` afresh and returns `{ projectDir, packageDir, packageJson }`, where
 * `packageDir` is the installed copy of the package.
 */
export function createProject(projectDir) {
  const builtPackage = join(repoRoot, "pkg");
  if (!existsSync(join(builtPackage, "package.json"))) {
    throw new Error(`no built package at ${builtPackage}; run 'make pkg' first`);
  }

  rmSync(projectDir, { recursive: true, force: true });
  mkdirSync(projectDir, { recursive: true });
  cpSync(join(runtimesDir, "project"), projectDir, { recursive: true });
  cpSync(join(runtimesDir, "scenario.mjs"), join(projectDir, "scenario.mjs"));

  const packageDir = join(projectDir, "node_modules", "stream-edge");
  installTarball(builtPackage, packageDir);
  const packageJson = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8"));
  return { projectDir, packageDir, packageJson };
}

/**
 * Packs `builtPackage` with `npm pack`, which applies the package's `files` list, and
 * unpacks the tarball into `installDir`. The package has no dependencies and no install
 * scripts, so unpacking is all that `npm install` would do.
 */
function installTarball(builtPackage, installDir) {
  const packDir = mkdtempSync(join(tmpdir(), "stream-edge-runtimes-pack-"));
  try {
    const output = execFileSync(
      "npm",
      ["pack", "--json", "--ignore-scripts", "--pack-destination", packDir, builtPackage],
      { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 120000 },
    );
    const [{ filename }] = JSON.parse(output);
    mkdirSync(installDir, { recursive: true });
    execFileSync("tar", ["-xzf", join(packDir, filename), "-C", installDir, "--strip-components=1"], {
      timeout: 60000,
    });
  } finally {
    rmSync(packDir, { recursive: true, force: true });
  }
}

/**
 * Returns the file that the exports map of `packageJson` gives for `import "stream-edge"`
 * under `conditions`, following Node's rule that the first matching key in object order
 * wins. Used to build the browser's import map from the package's own `browser` entry.
 */
export function resolveExport(packageJson, conditions) {
  let target = packageJson.exports?.["."];
  while (target !== null && typeof target === "object") {
    const key = Object.keys(target).find((name) => name === "default" || conditions.includes(name));
    if (key === undefined) {
      throw new Error(`the exports map has no entry for the conditions ${conditions.join(", ")}`);
    }
    target = target[key];
  }
  if (typeof target !== "string") {
    throw new Error(`the exports map of ${packageJson.name} has no "." entry`);
  }
  return target;
}
