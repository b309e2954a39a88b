// Entry point for Cloudflare Workers (workerd) and other runtimes that import a .wasm file
// as a compiled WebAssembly.Module. No fetch and no top-level await are needed.
import wasmModule from "./esm/stream_edge_bg.wasm";

import { initSync, setStreamErrorClass, StreamClient } from "./esm/stream_edge.js";
import { addDirectTokenPaths } from "./direct-tokens.mjs";
import { rejectCallsAfterFree } from "./freed-clients.mjs";
import { StreamError } from "./stream-error.mjs";

initSync({ module: wasmModule });
setStreamErrorClass(StreamError);
addDirectTokenPaths(StreamClient);
rejectCallsAfterFree(StreamClient, StreamError);

export { StreamClient, StreamError };
