// Renders a benchmark results object as plain-text tables (for the terminal) or Markdown
// (for docs/benchmarks.md). Run directly, it prints bench/results/latest.json as Markdown, or
// with `--update FILE` replaces the part of FILE between the two RESULTS_MARKERS with it.
//
//   node bench/report.mjs [--update docs/benchmarks.md]
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { RESULTS_DIR } from "./lib/paths.mjs";
import {
  formatBytes,
  formatCount,
  formatFixed,
  formatRatio,
  formatTable,
} from "./lib/table.mjs";

const OURS = "stream-edge";
const RESULTS_MARKERS = ["<!-- bench results: start -->", "<!-- bench results: end -->"];
const RUNTIME_NAMES = { node: "Node", workerd: "workerd", deno: "Deno", bun: "Bun" };

function tokenRows(rows) {
  const contenders = [...new Set(rows.map((row) => row.contender))];
  const ops = (contender, kind) =>
    rows.find((row) => row.contender === contender && row.kind === kind)?.ops_per_sec;
  return contenders.map((contender) => {
    const cells = [contender];
    for (const kind of ["user", "call"]) {
      const value = ops(contender, kind);
      const ours = ops(OURS, kind);
      cells.push(formatCount(value), contender === OURS ? "1x" : formatRatio(ours / value));
    }
    return cells;
  });
}

function tokenSection(tokens, options) {
  const headers = [
    "Library",
    "User tokens/s",
    "stream-edge / it",
    "Call tokens/s",
    "stream-edge / it",
  ];
  const right = [false, true, true, true, true];
  const parts = [];
  for (const [runtime, rows] of Object.entries(tokens)) {
    if (!Array.isArray(rows) || rows.length === 0) continue;
    parts.push(`Token signing in ${RUNTIME_NAMES[runtime] ?? runtime} (median of rounds)`);
    parts.push(formatTable(headers, tokenRows(rows), { ...options, alignRight: right }));
  }
  return parts;
}

function sizeSection(size, options) {
  const labels = {
    wasm: "pkg/esm/stream_edge_bg.wasm",
    esm_glue: "pkg/esm/stream_edge.js (ESM glue)",
    cjs_glue: "pkg/cjs/stream_edge.js (CommonJS glue)",
    workerd_upload: "Worker upload: workerd.mjs + glue + wasm",
    js_minified: "stream-edge JS minified by esbuild (without wasm)",
    jose_sign_minified: "jose SignJWT minified by esbuild (for comparison)",
  };
  const rows = Object.entries(labels)
    .filter(([key]) => size[key])
    .map(([key, label]) => [
      label,
      formatBytes(size[key].raw),
      formatBytes(size[key].gzip),
      formatBytes(size[key].brotli),
    ]);
  const headers = ["File", "Raw", "gzip -9", "brotli 11"];
  const alignRight = [false, true, true, true];
  return ["Sizes", formatTable(headers, rows, { ...options, alignRight })];
}

function coldStartSection(coldStart, options) {
  const parts = [];
  if (coldStart.node) {
    const rows = coldStart.node.map((row) => [
      row.contender,
      formatFixed(row.total_ms),
      formatFixed(row.added_ms),
      Object.entries(row.steps_ms)
        .map(([step, ms]) => `${step} ${formatFixed(ms)}`)
        .join(", "),
    ]);
    parts.push("Cold start in Node: fresh process per sample, first import to first token (ms)");
    parts.push(
      formatTable(["Library", "Median", "Added over empty module", "Steps (median)"], rows, {
        ...options,
        alignRight: [false, true, true, false],
      }),
    );
  }
  if (coldStart.workerd) {
    const rows = coldStart.workerd.map((row) => [
      row.contender,
      formatFixed(row.spawn_to_response_ms),
      formatFixed(row.added_ms),
    ]);
    parts.push("Cold start in workerd: fresh process per sample, spawn to first response (ms)");
    parts.push(
      formatTable(["Worker", "Spawn to response", "Added over empty worker"], rows, {
        ...options,
        alignRight: [false, true, true],
      }),
    );
  }
  return parts;
}

function overheadSection(overhead, options) {
  const rows = overhead.map((row) => [
    row.contender,
    formatFixed(row.us_per_request, 1),
    formatFixed(row.overhead_us, 1),
    `${formatFixed(row.overhead_pct, 1)} %`,
  ]);
  const count = overhead[0]?.requests_per_round;
  return [
    `SDK overhead: single-user upsert, sequential, ${count} requests per client per round`,
    formatTable(["Client", "us/request", "Over fetch (us)", "Over fetch"], rows, {
      ...options,
      alignRight: [false, true, true, true],
    }),
  ];
}

function bulkSection(bulk, options) {
  const rows = bulk.map((row) => [
    row.contender,
    row.how,
    row.delay_ms ? `${row.delay_ms} ms` : "none",
    formatFixed(row.seconds, 2),
    formatCount(row.users_per_sec),
    formatCount(row.lost_users),
    row.upsert_requests.join("/"),
  ]);
  const headers = [
    "Client",
    "How",
    "Delay per request",
    "Seconds",
    "Users/s",
    "Lost",
    "Upsert requests per round",
  ];
  return [
    `Bulk upsert of ${formatCount(bulk[0]?.users)} users (median of rounds)`,
    formatTable(headers, rows, { ...options, alignRight: [false, false, true, true, true, true, true] }),
  ];
}

function loadSection(load, options) {
  const rows = load.map((row) => [
    row.database,
    String(row.connections),
    formatCount(row.requests_per_sec),
    formatFixed(row.latency_ms.p50),
    formatFixed(row.latency_ms.p90),
    formatFixed(row.latency_ms.p99),
    formatFixed(row.latency_ms.p999),
    formatFixed(row.latency_ms.max),
    formatCount(row.failed_requests),
    formatFixed(row.sandbox_cpu_cores),
  ]);
  const headers = [
    "Database", "Connections", "Upserts/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms",
    "Failed", "Sandbox CPU cores",
  ];
  const seconds = load[0] ? Math.round(load[0].seconds) : "?";
  return [
    `Sandbox under load: wrk, 1 thread, ${seconds} s per row, single-user upserts`,
    formatTable(headers, rows, { ...options, alignRight: headers.map((_, i) => i > 0) }),
  ];
}

function formatMeasured(target) {
  if (target.measured == null) return "not measured";
  switch (target.unit) {
    case "x":
      return formatRatio(target.measured);
    case "bytes":
      return formatBytes(target.measured);
    case "ms":
      return `${formatFixed(target.measured)} ms`;
    case "%":
      return `${formatFixed(target.measured, 1)} %`;
    default:
      return `${formatCount(target.measured)} ${target.unit}`;
  }
}

function formatResult(target) {
  if (target.met == null) return "n/a";
  return target.met ? "met" : "missed";
}

function targetSection(targets, options) {
  const rows = targets.map((target) => [
    target.goal,
    formatMeasured(target) + (target.detail ? ` (${target.detail})` : ""),
    formatResult(target),
  ]);
  return ["Targets", formatTable(["Target", "Measured", "Result"], rows, options)];
}

function machineSection(results, options) {
  const { machine, versions } = results;
  const quick = results.quick ? " (quick)" : "";
  const shaExtensions = machine.cpu_sha_extensions ? "yes" : "no";
  const rows = [
    ["Run", `${results.generated_at}, \`${results.command}\`${quick}`],
    ["CPU", `${machine.nproc} x ${machine.cpu_model}, SHA extensions: ${shaExtensions}`],
    ["Memory, kernel", `${machine.memory_gib} GiB, Linux ${machine.kernel}`],
    [
      "Load average (1, 5, 15 min)",
      `${machine.load_average_at_start.join(", ")} at start, ` +
        `${machine.load_average_at_end?.join(", ") ?? "n/a"} at end`,
    ],
    ...Object.entries(versions).map(([name, version]) => [name, version]),
  ];
  return ["Machine and versions", formatTable(["Item", "Value"], rows, options)];
}

/**
 * Returns the report as one string. `markdown` selects Markdown tables, and `targets: false`
 * leaves out the targets table (docs/benchmarks.md has its own, with reasons).
 */
export function renderReport(results, { markdown = false, targets = true } = {}) {
  const options = { markdown };
  const parts = [];
  if (results.machine) parts.push(...machineSection(results, options));
  if (results.tokens) parts.push(...tokenSection(results.tokens, options));
  if (results.size) parts.push(...sizeSection(results.size, options));
  if (results.cold_start) parts.push(...coldStartSection(results.cold_start, options));
  if (results.overhead) parts.push(...overheadSection(results.overhead, options));
  if (results.bulk) parts.push(...bulkSection(results.bulk, options));
  if (results.load) parts.push(...loadSection(results.load, options));
  if (targets && results.targets) parts.push(...targetSection(results.targets, options));
  for (const [section, message] of Object.entries(results.errors ?? {})) {
    parts.push(`Section ${section} failed: ${message}`);
  }

  // Headings become Markdown headings; tables are kept as they are.
  const asHeading = (part) => (markdown && !part.startsWith("|") ? `#### ${part}` : part);
  return parts.map(asHeading).join("\n\n");
}

/** Replaces the text between the results markers in `file` with `markdown`. */
function updateDocument(file, markdown) {
  const text = readFileSync(file, "utf8");
  const [startMarker, endMarker] = RESULTS_MARKERS;
  const start = text.indexOf(startMarker);
  const end = text.indexOf(endMarker);
  if (start < 0 || end < start) {
    throw new Error(`${file} has no '${startMarker}' ... '${endMarker}' block to update`);
  }
  const before = text.slice(0, start + startMarker.length);
  writeFileSync(file, `${before}\n\n${markdown}\n\n${text.slice(end)}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const results = JSON.parse(readFileSync(join(RESULTS_DIR, "latest.json"), "utf8"));
  const [flag, file] = process.argv.slice(2);
  if (flag === "--update" && file) {
    updateDocument(file, renderReport(results, { markdown: true, targets: false }));
    console.log(`updated ${file}`);
  } else if (flag === undefined) {
    console.log(renderReport(results, { markdown: true }));
  } else {
    throw new Error("usage: node bench/report.mjs [--update FILE]");
  }
}
