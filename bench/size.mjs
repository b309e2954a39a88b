// Sizes of what the package ships, raw and compressed, beside jose's signing code bundled the
// way an edge deployment would bundle it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

import { build } from "esbuild";

import { PKG_DIR, REPO_ROOT } from "./lib/paths.mjs";

/** Returns raw, gzip (level 9) and brotli (quality 11) byte counts of `bytes`. */
function measureBytes(bytes) {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
    }).length,
  };
}

function measureFiles(relativePaths) {
  const bytes = Buffer.concat(relativePaths.map((path) => readFileSync(join(PKG_DIR, path))));
  return { files: relativePaths, ...measureBytes(bytes) };
}

/** Bundles and minifies `contents` with esbuild for an edge runtime; returns the bytes. */
async function bundleMinified(contents) {
  const result = await build({
    stdin: { contents, resolveDir: REPO_ROOT },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    external: ["*.wasm"],
    write: false,
    logLevel: "silent",
  });
  return Buffer.from(result.outputFiles[0].contents);
}

export async function runSize() {
  const wasm = measureFiles(["esm/stream_edge_bg.wasm"]);
  const esmGlue = measureFiles(["esm/stream_edge.js"]);
  const cjsGlue = measureFiles(["cjs/stream_edge.js"]);
  const workerdFiles = measureFiles([
    "workerd.mjs",
    "esm/stream_edge.js",
    "esm/stream_edge_bg.wasm",
  ]);

  const ourJsMinified = measureBytes(
    await bundleMinified(`export { StreamClient, StreamError } from "./pkg/workerd.mjs";`),
  );
  const joseMinified = measureBytes(await bundleMinified(`export { SignJWT } from "jose";`));

  return {
    wasm,
    esm_glue: esmGlue,
    cjs_glue: cjsGlue,
    workerd_upload: workerdFiles,
    js_minified: ourJsMinified,
    jose_sign_minified: joseMinified,
  };
}
