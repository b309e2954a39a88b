// Entry point for browsers, bundlers and Deno: fetches and instantiates the wasm file next
// to this module. The top-level await finishes before any importer runs, so callers need no
// init step.
import init, { setStreamErrorClass, StreamClient } from "./esm/stream_edge.js";
import { addDirectTokenPaths } from "./direct-tokens.mjs";
import { rejectCallsAfterFree } from "./freed-clients.mjs";
import { StreamError } from "./stream-error.mjs";

await init({ module_or_path: new URL("./esm/stream_edge_bg.wasm", import.meta.url) });
setStreamErrorClass(StreamError);
addDirectTokenPaths(StreamClient);
rejectCallsAfterFree(StreamClient, StreamError);

export { StreamClient, StreamError };
