// Cloudflare's workerd, running the worker that `wrangler deploy --dry-run` bundled.
//
// Wrangler bundles project/worker.mjs offline: it runs in a network namespace of its own
// when `unshare -n` works, with HOME pointing at an empty folder so no login or account
// settings are read. The bundle must keep the package's .wasm file as a separate module
// (byte for byte) rather than inline it. workerd then runs the bundle's `test` handler
// with all outbound traffic sent to the sandbox and nowhere else.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

import {
  failedStep,
  passedStep,
  processFailure,
  runProcess,
  stepsFromOutput,
} from "../support/process.mjs";

/** The first bytes of a wasm file ("\0asm" and version 1) encoded as base64. */
const BASE64_WASM_MAGIC = "AGFzbQEAAAA";

export const workerd = {
  name: "workerd",
  async run(context) {
    const outDir = join(context.workDir, "workerd");
    const distDir = join(outDir, "dist");
    const homeDir = join(outDir, "home");
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(homeDir, { recursive: true });

    const bundle = await wranglerDryRun(context, distDir, homeDir);
    if (!bundle.ok) return [bundle.step];
    const steps = [bundle.step];

    const configFile = join(outDir, "config.capnp");
    writeFileSync(configFile, capnpConfig(context, outDir, bundle));
    const output = await runProcess(context.bin("workerd"), ["test", configFile], {
      cwd: outDir,
      timeoutMs: context.timeoutMs,
    });
    steps.push(...stepsFromOutput("workerd test", output));
    return steps;
  },
};

function networkIsolation() {
  try {
    execFileSync("unshare", ["-n", "true"], { stdio: "ignore", timeout: 10000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `wrangler deploy --dry-run --outdir distDir` and checks the bundle. Resolves with
 * `{ ok, step, mainModule, wasmModule }`.
 */
async function wranglerDryRun(context, distDir, homeDir) {
  const name = "wrangler deploy --dry-run";
  const wranglerArgs = ["deploy", "--dry-run", "--outdir", distDir];
  const isolated = networkIsolation();
  const [command, args] = isolated
    ? ["unshare", ["-n", context.bin("wrangler"), ...wranglerArgs]]
    : [context.bin("wrangler"), wranglerArgs];
  const output = await runProcess(command, args, {
    cwd: context.projectDir,
    env: {
      ...process.env,
      HOME: homeDir,
      XDG_CONFIG_HOME: join(homeDir, ".config"),
      WRANGLER_SEND_METRICS: "false",
      CI: "1",
      CLOUDFLARE_API_TOKEN: "",
      CLOUDFLARE_ACCOUNT_ID: "",
    },
    timeoutMs: context.timeoutMs,
  });
  if (output.code !== 0) return { ok: false, step: processFailure(name, output) };

  const files = readdirSync(distDir);
  const wasmFiles = files.filter((file) => file.endsWith(".wasm"));
  const mainModule = "worker.js";
  if (!files.includes(mainModule)) {
    return { ok: false, step: failedStep(name, `no ${mainModule} in ${distDir}: ${files.join(", ")}`) };
  }
  if (wasmFiles.length !== 1) {
    return {
      ok: false,
      step: failedStep(name, `expected one .wasm module in the bundle, found ${wasmFiles.length}: ${files.join(", ")}`),
    };
  }
  const [wasmModule] = wasmFiles;
  const problems = [];
  const bundledWasm = sha256(readFileSync(join(distDir, wasmModule)));
  const packageWasm = sha256(readFileSync(join(context.packageDir, "esm/stream_edge_bg.wasm")));
  if (bundledWasm !== packageWasm) {
    problems.push(`${wasmModule} differs from the package's esm/stream_edge_bg.wasm`);
  }
  const script = readFileSync(join(distDir, mainModule), "utf8");
  if (!script.includes(`from "./${wasmModule}"`)) {
    problems.push(`${mainModule} does not import ./${wasmModule} as a module`);
  }
  if (script.includes(BASE64_WASM_MAGIC)) {
    problems.push(`${mainModule} contains a base64-encoded wasm file`);
  }
  const nodeImports = script.match(/from\s+"node:[^"]+"/g) ?? [];
  if (nodeImports.length > 0) {
    problems.push(`${mainModule} imports Node.js modules: ${nodeImports.join(", ")}`);
  }
  if (problems.length > 0) return { ok: false, step: failedStep(name, problems.join("; ")) };

  const network = isolated ? "no network (unshare -n)" : "network namespace unavailable";
  const detail = `${mainModule} + ${wasmModule} (same bytes as the package), ${network}`;
  return { ok: true, step: passedStep(name, detail), mainModule, wasmModule };
}

function sha256(bytes) {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * Returns a workerd config that runs the bundle as service "main". The worker's only
 * outbound service is the sandbox's address, so every fetch it makes reaches the sandbox
 * and nothing else.
 */
function capnpConfig(context, outDir, bundle) {
  const sandboxAddress = new URL(context.sandbox.baseUrl).host;
  const config = JSON.stringify(context.scenarioConfig("workerd"));
  const distPath = (file) => relative(outDir, join(outDir, "dist", file));
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .conformanceWorker),
    (name = "sandbox", external = (address = ${capnpText(sandboxAddress)}, http = ())),
  ],
);

const conformanceWorker :Workerd.Worker = (
  modules = [
    (name = ${capnpText(bundle.mainModule)}, esModule = embed ${capnpText(distPath(bundle.mainModule))}),
    (name = ${capnpText(bundle.wasmModule)}, wasm = embed ${capnpText(distPath(bundle.wasmModule))}),
  ],
  compatibilityDate = ${capnpText(compatibilityDate(context.projectDir))},
  bindings = [(name = "SCENARIO_CONFIG", json = ${capnpText(config)})],
  globalOutbound = "sandbox",
);
`;
}

/** Reads `compatibility_date` from wrangler.jsonc, so wrangler and workerd use the same one. */
function compatibilityDate(projectDir) {
  const text = readFileSync(join(projectDir, "wrangler.jsonc"), "utf8");
  const { compatibility_date: date } = JSON.parse(text.replace(/^\s*\/\/.*$/gm, ""));
  if (typeof date !== "string") {
    throw new Error(`wrangler.jsonc in ${projectDir} has no compatibility_date`);
  }
  return date;
}

/** Quotes printable ASCII text as a Cap'n Proto string literal. */
function capnpText(text) {
  if (!/^[\x20-\x7e]*$/.test(text)) {
    throw new Error(`cannot quote ${JSON.stringify(text)} for the workerd config: only printable ASCII is supported`);
  }
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}
