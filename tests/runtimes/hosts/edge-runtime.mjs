// Bundles project/edge.mjs as an edge function and runs it in Vercel's `edge-runtime`.
//
// The bundle resolves packages with the conditions edge-light, worker and browser, and each
// `.wasm` import becomes a global binding that contains a compiled WebAssembly.Module.
// NOTE: this imitates an edge bundle; no Vercel build (Next.js or the vercel CLI) runs here.
// The host compiles the module inside the edge context (from the file's bytes) because
// wasm-bindgen checks `instanceof WebAssembly.Module`, which a module compiled in Node's own
// realm would fail.
//
// Usage: node hosts/edge-runtime.mjs PROJECT_DIR OUT_DIR CONFIG_JSON
// Prints the scenario result on one line that starts with the result marker.
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";

import { EdgeRuntime } from "edge-runtime";
import { build } from "esbuild";

const RESULT_MARKER = "stream-edge-scenario-result ";

/** Maps each imported `.wasm` file to a global that the host fills before the bundle runs. */
function wasmBindingPlugin(bindings) {
  return {
    name: "wasm-module-binding",
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /\.wasm$/ }, (args) => ({
        path: join(args.resolveDir, args.path),
        namespace: "wasm-module-binding",
      }));
      pluginBuild.onLoad({ filter: /.*/, namespace: "wasm-module-binding" }, (args) => {
        const name = `__wasm_binding_${bindings.size}_${basename(args.path).replace(/\W/g, "_")}`;
        bindings.set(name, args.path);
        return { contents: `export default globalThis[${JSON.stringify(name)}];`, loader: "js" };
      });
    },
  };
}

async function main() {
  const [projectDir, outDir, configJson] = process.argv.slice(2);
  const bindings = new Map();
  const bundleFile = join(outDir, "edge-function.js");
  await build({
    entryPoints: [join(projectDir, "edge.mjs")],
    bundle: true,
    format: "iife",
    platform: "neutral",
    target: "es2022",
    conditions: ["edge-light", "worker", "browser"],
    mainFields: ["module", "main"],
    outfile: bundleFile,
    plugins: [wasmBindingPlugin(bindings)],
    logLevel: "warning",
  });
  if (bindings.size === 0) {
    throw new Error("the edge bundle imports no .wasm module; the package resolved to an entry that does not import its wasm file");
  }

  const runtime = new EdgeRuntime();
  for (const [name, file] of bindings) {
    runtime.context.__wasmBytes = new Uint8Array(readFileSync(file));
    runtime.evaluate(`globalThis[${JSON.stringify(name)}] = new WebAssembly.Module(__wasmBytes);`);
    delete runtime.context.__wasmBytes;
  }
  runtime.evaluate(readFileSync(bundleFile, "utf8"));

  const response = await runtime.dispatchFetch("http://edge-function.test/scenario", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: configJson,
  });
  await response.waitUntil();
  const text = await response.text();
  if (response.status !== 200) {
    throw new Error(`the edge function responded ${response.status}: ${text}`);
  }
  console.log(RESULT_MARKER + text);
}

main().catch((error) => {
  console.error(error?.stack ?? String(error));
  process.exitCode = 1;
});
