// Form handlers of the token inspector and of the sandbox fault controls.

import {
  compact,
  optionalList,
  optionalNumber,
  optionalText,
  requiredText,
} from "./form-values.mjs";
import { element, fieldList, toJson } from "./render.mjs";
import { checkTokenWithSandbox, decodeToken, timeClaimFields } from "./token-inspector.mjs";

/**
 * `generateUserToken` or `generateCallToken` from the form, then inspects the new token.
 * Empty fields are left out, so the package reports a missing user ID or call CIDs itself.
 */
export async function generateToken({ client, settings, form, action, inspectForm }) {
  const user_id = optionalText(form, "user_id");
  const validity_in_seconds = optionalNumber(form, "validity_in_seconds");

  const token =
    action === "call"
      ? client.generateCallToken(
          compact({
            user_id,
            validity_in_seconds,
            call_cids: optionalList(form, "call_cids"),
            role: optionalText(form, "role"),
          }),
        )
      : client.generateUserToken(compact({ user_id, validity_in_seconds }));

  inspectForm.elements.token.value = token;
  const outcome = await inspectToken({ client, settings, token });
  const kind = action === "call" ? "call token" : "user token";
  return { ...outcome, summary: `Generated a ${kind}. ${outcome.summary}` };
}

/** Inspects the token typed or pasted into the inspector. */
export function inspectTokenForm({ client, settings, form }) {
  const token = requiredText(form, "token", "Token");
  return inspectToken({ client, settings, token });
}

/**
 * Shows a token's header and claims, checks it with `client.verifyToken`, and checks
 * whether the sandbox accepts it. The outcome is "ok" only when the sandbox accepts it.
 */
async function inspectToken({ client, settings, token }) {
  const { header, claims } = decodeToken(token);

  let localCheck;
  try {
    client.verifyToken(token);
    localCheck = "valid for this page's secret";
  } catch (error) {
    localCheck = `rejected: ${error.message}`;
  }

  const verdict = await checkTokenWithSandbox(settings, token, claims);
  const { status, code, message } = verdict;
  const summary = verdict.accepted
    ? `The sandbox accepts this token (HTTP ${status}).`
    : `The sandbox rejects this token: status ${status}, code ${code}: ${message}`;

  const parts = element("div", "token-parts");
  parts.append(tokenPart("Header", header), tokenPart("Claims", claims));
  return {
    state: verdict.accepted ? "ok" : "error",
    summary,
    fields: [
      ["algorithm", header.alg],
      ["user_id", claims.user_id],
      ["call_cids", claims.call_cids],
      ["role", claims.role],
      ...timeClaimFields(claims),
      ["verifyToken", localCheck],
      ["sandbox", verdict.accepted ? `accepted (HTTP ${verdict.status})` : "rejected"],
    ],
    extra: [parts],
  };
}

function tokenPart(title, value) {
  const part = element("div");
  part.append(element("h3", "", title), element("pre", "", toJson(value)));
  return part;
}

/**
 * Adds a fault to the sandbox (`POST /_sandbox/faults`) or clears them all. A "stall" fault
 * delays the response two seconds past the page's request timeout, so the client times out.
 */
export async function changeFaults({ settings, form, action }) {
  if (action === "clear") {
    await sandboxControl(settings, "DELETE", "/_sandbox/faults");
    return { summary: "Cleared all pending faults" };
  }

  const target = optionalText(form, "target");
  const [method, path] = target === undefined ? [] : target.split(" ");
  const failure = form.elements.failure.value;
  const count = optionalNumber(form, "count") ?? 1;
  const stall = failure === "stall";
  const fault = compact({
    method,
    path,
    count,
    status: stall ? undefined : Number(failure),
    delay_ms: stall ? settings.timeout + 2000 : undefined,
    reset_in_secs: failure === "429" ? 5 : undefined,
  });

  const response = await sandboxControl(settings, "POST", "/_sandbox/faults", fault);
  const effect = stall ? `stall for ${fault.delay_ms} ms` : `answer ${failure}`;
  return {
    summary: `The next ${count} × ${target ?? "request"} will ${effect}`,
    extra: [fieldList([["pending faults", response.faults]])],
  };
}

/** Calls the sandbox control API, which is authorized by the API secret itself. */
async function sandboxControl({ basePath, secret, timeout }, method, path, body) {
  const response = await fetch(new URL(path, basePath), {
    method,
    headers: { Authorization: `Bearer ${secret}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeout),
  });
  const text = await response.text();
  if (!response.ok) {
    const detail = `HTTP ${response.status} ${text}`;
    throw new Error(`Sandbox control request ${method} ${path} failed: ${detail}`);
  }
  return text === "" ? {} : JSON.parse(text);
}
