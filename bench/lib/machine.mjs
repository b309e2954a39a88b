// The machine and tool versions a benchmark run used, recorded beside its numbers.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, release, totalmem } from "node:os";
import { join } from "node:path";

import { BIN, PKG_DIR, REPO_ROOT } from "./paths.mjs";

/** Returns the first line a version command prints; `wrk -v` exits non-zero, so any status goes. */
function firstLine(command, args) {
  const result = spawnSync(command, args, { encoding: "utf8" });
  if (result.error) return `unavailable (${result.error.message})`;
  return `${result.stdout}${result.stderr}`.trim().split("\n")[0];
}

function readCpuinfo() {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  const flags = /^flags\s*:\s*(.+)$/m.exec(cpuinfo)?.[1].split(" ") ?? [];
  return {
    model: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? "unknown",
    // OpenSSL, and so node:crypto HMAC, uses the SHA extensions when present; wasm cannot.
    shaExtensions: flags.includes("sha_ni"),
  };
}

function packageVersion(name) {
  const manifest = join(REPO_ROOT, "node_modules", name, "package.json");
  return JSON.parse(readFileSync(manifest, "utf8")).version;
}

export function describeMachine() {
  return {
    nproc: availableParallelism(),
    cpu_model: readCpuinfo().model,
    cpu_sha_extensions: readCpuinfo().shaExtensions,
    memory_gib: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    load_average_at_start: loadavg().map((value) => Number(value.toFixed(2))),
  };
}

export function describeVersions() {
  const pkg = JSON.parse(readFileSync(join(PKG_DIR, "package.json"), "utf8"));
  const commit = firstLine("git", ["-C", REPO_ROOT, "rev-parse", "--short", "HEAD"]);
  // pkg/ and the sandbox are built from the work tree, which may differ from the commit.
  const sources = ["src", "pkg-template", "scripts/build-pkg.sh", "sandbox", "Cargo.toml"];
  const status = spawnSync("git", ["-C", REPO_ROOT, "status", "--porcelain", "--", ...sources], {
    encoding: "utf8",
  });
  const changed = status.stdout.trim() === "" ? "" : ", with uncommitted changes in its sources";
  return {
    "stream-edge": `${pkg.version} (commit ${commit}${changed})`,
    node: process.version,
    deno: firstLine(BIN.deno, ["--version"]),
    bun: firstLine(BIN.bun, ["--version"]),
    workerd: firstLine(BIN.workerd, ["--version"]),
    wrk: firstLine("wrk", ["-v"]),
    "@stream-io/node-sdk": packageVersion("@stream-io/node-sdk"),
    "fast-jwt": packageVersion("fast-jwt"),
    jsonwebtoken: packageVersion("jsonwebtoken"),
    jose: packageVersion("jose"),
  };
}
