// Absolute paths of the repository, the built package and the tools the benchmark runs.
import { fileURLToPath } from "node:url";

const fromRepo = (relative) => fileURLToPath(new URL(`../../${relative}`, import.meta.url));

export const REPO_ROOT = fromRepo("");
export const PKG_DIR = fromRepo("pkg");
export const WASM_PATH = fromRepo("pkg/esm/stream_edge_bg.wasm");
export const RESULTS_DIR = fromRepo("bench/results");
export const SANDBOX_BIN = fromRepo("target/release/stream-sandbox");
export const BIN = {
  deno: fromRepo("node_modules/.bin/deno"),
  bun: fromRepo("node_modules/.bin/bun"),
  workerd: fromRepo("node_modules/.bin/workerd"),
};
