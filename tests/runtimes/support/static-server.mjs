// A static file server on 127.0.0.1 for the browser pages.
import { createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, resolve, sep } from "node:path";

const CONTENT_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".map": "application/json",
};

/**
 * Serves the files under `rootDir` on a free port of 127.0.0.1 and resolves with
 * `{ url, close }`. `overrides` maps URL paths to generated contents `{ type, body }`.
 */
export function serveDirectory(rootDir, overrides = {}) {
  const root = resolve(rootDir);
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://localhost").pathname);
    const override = overrides[path];
    if (override !== undefined) {
      response.writeHead(200, { "content-type": override.type });
      response.end(override.body);
      return;
    }
    const file = resolve(join(root, path.endsWith("/") ? `${path}index.html` : path));
    if (file !== root && !file.startsWith(root + sep)) {
      response.writeHead(403).end("outside the served folder");
      return;
    }
    let stats;
    try {
      stats = statSync(file);
    } catch {
      response.writeHead(404).end(`not found: ${path}`);
      return;
    }
    if (!stats.isFile()) {
      response.writeHead(404).end(`not a file: ${path}`);
      return;
    }
    const type = CONTENT_TYPES[extname(file)] ?? "application/octet-stream";
    response.writeHead(200, { "content-type": type, "content-length": stats.size });
    createReadStream(file).pipe(response);
  });
  return new Promise((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolvePromise({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise((done) => {
            server.close(done);
            server.closeAllConnections();
          }),
      });
    });
  });
}
