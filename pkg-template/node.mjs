// Node entry point for `import`: reads the wasm file from disk and instantiates it
// synchronously, so the package is ready as soon as the import resolves.
import { readFileSync } from "node:fs";

import { initSync, setStreamErrorClass, StreamClient } from "./esm/stream_edge.js";
import { addDirectTokenPaths } from "./direct-tokens.mjs";
import { rejectCallsAfterFree } from "./freed-clients.mjs";
import { StreamError } from "./stream-error.mjs";

initSync({ module: readFileSync(new URL("./esm/stream_edge_bg.wasm", import.meta.url)) });
setStreamErrorClass(StreamError);
addDirectTokenPaths(StreamClient);
rejectCallsAfterFree(StreamClient, StreamError);

export { StreamClient, StreamError };
