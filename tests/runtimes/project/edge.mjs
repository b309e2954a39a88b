// A Vercel-style edge function: a fetch event listener that runs the scenario with the
// configuration in the request body and responds with the result as JSON.
import * as sdk from "stream-edge";

import { runScenario } from "./scenario.mjs";

async function handle(request) {
  const config = await request.json();
  const result = await runScenario(sdk, config);
  return new Response(JSON.stringify(result), {
    headers: { "content-type": "application/json" },
  });
}

addEventListener("fetch", (event) => {
  event.respondWith(handle(event.request));
});
