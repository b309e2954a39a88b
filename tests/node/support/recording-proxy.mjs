// An HTTP proxy on 127.0.0.1 that forwards every request to the sandbox unchanged and
// records what the client sent, so two SDKs' requests can be compared. It also counts the
// requests open at once, from arrival until the response is sent.
import { createServer } from "node:http";

/**
 * Starts the proxy; `recorded` lists the requests received, oldest first, and
 * `maxInFlight()` returns the largest number of requests that were open at once.
 */
export async function startRecordingProxy(targetBaseUrl) {
  const recorded = [];
  let inFlight = 0;
  let maxInFlight = 0;

  const server = createServer(async (request, response) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    response.once("close", () => {
      inFlight -= 1;
    });
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    const body = Buffer.concat(chunks).toString("utf8");
    const url = new URL(request.url, "http://proxy.invalid");
    recorded.push({
      method: request.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...request.headers },
      body,
    });

    try {
      // Forward only what identifies the request, so fetch sets its own transport headers.
      const forwardedHeaders = Object.fromEntries(
        Object.entries(request.headers).filter(
          ([name]) => !["host", "connection", "content-length", "accept-encoding"].includes(name),
        ),
      );
      const upstream = await fetch(new URL(request.url, targetBaseUrl), {
        method: request.method,
        headers: forwardedHeaders,
        body: body === "" ? undefined : body,
      });
      const upstreamBody = Buffer.from(await upstream.arrayBuffer());
      const hopHeaders = ["content-encoding", "content-length", "transfer-encoding", "connection"];
      const headers = Object.fromEntries(
        [...upstream.headers].filter(([name]) => !hopHeaders.includes(name)),
      );
      response.writeHead(upstream.status, headers);
      response.end(upstreamBody);
    } catch (error) {
      response.writeHead(502, { "content-type": "text/plain" });
      response.end(`recording proxy could not reach the sandbox: ${error.message}`);
    }
  });

  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    recorded,
    maxInFlight: () => maxInFlight,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}
