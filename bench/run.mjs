// `make bench`: measures stream-edge and its peers side by side on this machine in one run,
// prints the tables and writes bench/results/latest.json. A run with --quick or --only writes
// bench/results/partial.json instead, so it never replaces the record of a full run.
//
//   node bench/run.mjs [--quick] [--only=SECTION,...]
//
// --quick shortens every section (fewer rounds and samples, shorter load) for a smoke check,
// so its figures are not for comparison. --only runs the named sections (the keys of
// defineSections), for example --only=size,cold-node.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";

import { runNodeColdStart } from "./coldstart/node.mjs";
import { runWorkerdColdStart } from "./coldstart/workerd.mjs";
import { runJsonChild } from "./lib/child.mjs";
import { describeMachine, describeVersions } from "./lib/machine.mjs";
import { BIN, PKG_DIR, RESULTS_DIR } from "./lib/paths.mjs";
import { median } from "./lib/stats.mjs";
import { startBenchSandbox } from "./lib/sandbox.mjs";
import { renderReport } from "./report.mjs";
import { runBulk } from "./sandbox/bulk.mjs";
import { runLoad } from "./sandbox/load.mjs";
import { runOverhead } from "./sandbox/overhead.mjs";
import { runSize } from "./size.mjs";
import { evaluateTargets } from "./targets.mjs";
import { runWorkerdTokens } from "./tokens/workerd.mjs";

const FULL = {
  passes: 3,
  roundMs: 300,
  rounds: 3,
  coldSamples: 15,
  overheadRounds: 7,
  overheadRequests: 300,
  bulkUsers: 10_000,
  bulkRounds: 3,
  loadConnections: [16, 64],
  loadSeconds: 5,
};
const QUICK = {
  passes: 1,
  roundMs: 100,
  rounds: 3,
  coldSamples: 3,
  overheadRounds: 2,
  overheadRequests: 50,
  bulkUsers: 10_000,
  bulkRounds: 1,
  loadConnections: [16],
  loadSeconds: 1,
};

const SIGN_WORKER = new URL("./tokens/sign-worker.mjs", import.meta.url).pathname;
const NODE_CONTENDERS = ["stream-edge", "@stream-io/node-sdk", "fast-jwt", "jsonwebtoken", "jose"];
const WEB_CONTENDERS = ["stream-edge", "jose"];
const KINDS = ["user", "call"];
// Requests per endpoint per minute, far above any rate reached here, so no request meets a 429.
const SANDBOX_RATE_LIMIT = 100_000_000;
// The second bulk run adds this wait to every upsert request in place of a network round
// trip. 20 ms is an assumed figure: real round trips to Stream depend on the region.
const BULK_DELAY_MS = 20;

/**
 * Runs sign-worker.mjs for each contender and kind in `runtime`, in `settings.passes` passes
 * so that a burst of load from other processes on the machine lands on every contender rather
 * than on one. The result per contender and kind is the median over the rounds of all passes.
 */
async function signInRuntime(runtime, contenders, settings) {
  const commands = {
    node: { command: process.execPath, prefix: [], entry: "../../pkg/node.mjs" },
    deno: { command: BIN.deno, prefix: ["run", "--allow-read"], entry: "../../pkg/web.mjs" },
    bun: { command: BIN.bun, prefix: [], entry: "../../pkg/node.mjs" },
  };
  const { command, prefix, entry } = commands[runtime];
  const rounds = new Map();
  for (let pass = 0; pass < settings.passes; pass++) {
    for (const kind of KINDS) {
      for (const contender of contenders) {
        const args = [SIGN_WORKER, contender, kind, settings.roundMs, settings.rounds, entry];
        const result = await runJsonChild(command, [...prefix, ...args.map(String)]);
        const key = `${contender}\n${kind}`;
        rounds.set(key, [...(rounds.get(key) ?? []), ...result.rounds]);
      }
    }
  }
  return [...rounds].map(([key, perRound]) => {
    const [contender, kind] = key.split("\n");
    return { contender, kind, ops_per_sec: median(perRound), rounds: perRound };
  });
}

/** Starts a sandbox (in-memory database unless `options.db` names one), runs `action`, stops it. */
async function withSandbox(options, action) {
  const sandbox = await startBenchSandbox({ rateLimit: SANDBOX_RATE_LIMIT, ...options });
  try {
    return await action(sandbox);
  } finally {
    await sandbox.stop();
  }
}

async function loadStreamClient() {
  return (await import(join(PKG_DIR, "node.mjs"))).StreamClient;
}

function defineSections(settings) {
  return {
    "tokens-node": async (results) => {
      results.tokens.node = await signInRuntime("node", NODE_CONTENDERS, settings);
    },
    "tokens-workerd": async (results) => {
      results.tokens.workerd = await runWorkerdTokens({
        contenders: WEB_CONTENDERS,
        kinds: KINDS,
        roundMs: settings.roundMs,
        rounds: settings.passes * settings.rounds,
      });
    },
    "tokens-deno": async (results) => {
      results.tokens.deno = await signInRuntime("deno", WEB_CONTENDERS, settings);
    },
    "tokens-bun": async (results) => {
      results.tokens.bun = await signInRuntime("bun", WEB_CONTENDERS, settings);
    },
    size: async (results) => {
      results.size = await runSize();
    },
    "cold-node": async (results) => {
      results.cold_start.node = await runNodeColdStart({ samples: settings.coldSamples });
    },
    "cold-workerd": async (results) => {
      results.cold_start.workerd = await runWorkerdColdStart({ samples: settings.coldSamples });
    },
    overhead: async (results) => {
      const StreamClient = await loadStreamClient();
      results.overhead = await withSandbox({}, (sandbox) =>
        runOverhead({
          sandbox,
          StreamClient,
          rounds: settings.overheadRounds,
          requestsPerRound: settings.overheadRequests,
        }),
      );
    },
    bulk: async (results) => {
      const StreamClient = await loadStreamClient();
      // On loopback, then with a delay per request in place of a network round trip.
      results.bulk = [];
      for (const delayMs of [0, BULK_DELAY_MS]) {
        const rows = await withSandbox({}, (sandbox) =>
          runBulk({
            sandbox,
            StreamClient,
            userCount: settings.bulkUsers,
            rounds: settings.bulkRounds,
            delayMs,
          }),
        );
        results.bulk.push(...rows);
      }
    },
    load: async (results) => {
      const rows = [];
      const databases = [
        { label: "in-memory", db: ":memory:" },
        { label: "SQLite file", db: join(tmpdir(), `stream-edge-bench-${process.pid}.db`) },
      ];
      for (const { label, db } of databases) {
        try {
          const measured = await withSandbox({ db }, (sandbox) =>
            runLoad({
              sandbox,
              label,
              connections: settings.loadConnections,
              seconds: settings.loadSeconds,
            }),
          );
          rows.push(...measured);
        } finally {
          if (db !== ":memory:") {
            for (const suffix of ["", "-wal", "-shm"]) rmSync(`${db}${suffix}`, { force: true });
          }
        }
      }
      results.load = rows;
    },
  };
}

function parseArguments(argv) {
  const quick = argv.includes("--quick");
  const only = argv.find((arg) => arg.startsWith("--only="))?.slice("--only=".length).split(",");
  const unknown = argv.filter((arg) => arg !== "--quick" && !arg.startsWith("--only="));
  if (unknown.length > 0) {
    const usage = "node bench/run.mjs [--quick] [--only=SECTION,...]";
    throw new Error(`unknown arguments: ${unknown.join(" ")}; usage: ${usage}`);
  }
  return { quick, only };
}

async function main() {
  const { quick, only } = parseArguments(process.argv.slice(2));
  const settings = quick ? QUICK : FULL;
  const sections = defineSections(settings);
  for (const name of only ?? []) {
    if (!sections[name]) {
      throw new Error(`unknown section ${name}; sections: ${Object.keys(sections).join(", ")}`);
    }
  }

  const results = {
    generated_at: new Date().toISOString(),
    command: `node bench/run.mjs ${process.argv.slice(2).join(" ")}`.trim(),
    quick,
    settings,
    machine: describeMachine(),
    versions: describeVersions(),
    tokens: {},
    cold_start: {},
    errors: {},
  };

  for (const [name, run] of Object.entries(sections)) {
    if (only && !only.includes(name)) continue;
    const started = performance.now();
    process.stderr.write(`bench: ${name} ...`);
    try {
      await run(results);
      process.stderr.write(` ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    } catch (error) {
      results.errors[name] = error.message;
      process.stderr.write(` failed: ${error.message}\n`);
    }
  }
  results.machine.load_average_at_end = loadavg().map((value) => Number(value.toFixed(2)));
  results.targets = evaluateTargets(results);

  console.log(renderReport(results));
  mkdirSync(RESULTS_DIR, { recursive: true });
  const output = join(RESULTS_DIR, quick || only ? "partial.json" : "latest.json");
  writeFileSync(output, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwrote ${output}`);
  if (Object.keys(results.errors).length > 0) process.exitCode = 1;
}

await main();
