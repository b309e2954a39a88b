// Preload (`node --import`) that makes every StreamClient of the Node suites a recording
// one (recorded-client.mjs) for the suite-wide secret check, whether a test loads the
// package with `import` or `require`. The package's files are not changed: `import` of its
// node.mjs gets a module that re-exports the package with the subclass, and the `require`
// cache entry of node.cjs gets the same treatment.
import { createRequire, register } from "node:module";

import { recordedClientClass } from "./recorded-client.mjs";

register("./record-output-hooks.mjs", import.meta.url);

const requireFromTests = createRequire(new URL("../", import.meta.url));
let entryPoint;
try {
  entryPoint = requireFromTests.resolve("stream-edge");
} catch {
  // The package is not installed yet (install-package.mjs has not run), so there is nothing
  // to record; the scan then fails for lack of records.
}
if (entryPoint !== undefined) {
  const packageExports = requireFromTests(entryPoint);
  requireFromTests.cache[entryPoint].exports = {
    StreamClient: recordedClientClass(packageExports.StreamClient),
    StreamError: packageExports.StreamError,
  };
}
