// Node entry point for `require`. The CommonJS glue made by wasm-bindgen instantiates the
// wasm file synchronously when it is first required.
"use strict";

const glue = require("./cjs/stream_edge.js");
const { StreamError } = require("./stream-error.cjs");

glue.setStreamErrorClass(StreamError);

module.exports = { StreamClient: glue.StreamClient, StreamError };
