// Module loader hooks registered by record-output.mjs. Loading the package's node.mjs
// (installed in node_modules/stream-edge, or the test-only pkg-panic-probe/) returns a
// module that imports the real file under a `?package` query and exports a recording
// subclass of its StreamClient.
const ENTRY_POINTS = [/\/node_modules\/stream-edge\/node\.mjs$/, /\/pkg-panic-probe\/node\.mjs$/];
const RECORDED_CLIENT = new URL("./recorded-client.mjs", import.meta.url).href;

export async function load(url, context, nextLoad) {
  const parsed = new URL(url);
  if (parsed.protocol !== "file:" || parsed.search !== "") return nextLoad(url, context);
  if (!ENTRY_POINTS.some((pattern) => pattern.test(parsed.pathname))) {
    return nextLoad(url, context);
  }
  const source = [
    `import { StreamClient as PackageClient, StreamError } from ${JSON.stringify(`${url}?package`)};`,
    `import { recordedClientClass } from ${JSON.stringify(RECORDED_CLIENT)};`,
    "export const StreamClient = recordedClientClass(PackageClient);",
    "export { StreamError };",
  ].join("\n");
  return { format: "module", source, shortCircuit: true };
}
