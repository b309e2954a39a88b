// Node entry point for `require`. The CommonJS glue made by wasm-bindgen instantiates the
// wasm file synchronously when it is first required.
"use strict";

const glue = require("./cjs/stream_edge.js");
const { addDirectTokenPaths } = require("./direct-tokens.cjs");
const { rejectCallsAfterFree } = require("./freed-clients.cjs");
const { StreamError } = require("./stream-error.cjs");

glue.setStreamErrorClass(StreamError);
addDirectTokenPaths(glue.StreamClient);
rejectCallsAfterFree(glue.StreamClient, StreamError);

module.exports = { StreamClient: glue.StreamClient, StreamError };
