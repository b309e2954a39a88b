// Entry point of the demo page. Loads stream-edge from ./pkg/web.mjs (the browser entry point
// of the built package, copied next to this page), keeps one StreamClient for the connection
// settings, and wires each form to its operation.
//
// Query parameters `basePath` and `apiKey` preset the connection form. The secret is never
// read from the URL: it defaults to the sandbox's development secret and can be typed in.

import { FormError, optionalNumber, requiredText } from "./form-values.mjs";
import { logActivity, showBusy, showError, showOutcome } from "./render.mjs";
import { TaskProgress } from "./task-progress.mjs";
import { changeFaults, generateToken, inspectTokenForm } from "./token-operations.mjs";
import {
  changeManyActivations,
  changeOneActivation,
  createGuest,
  deleteUsers,
  exportUser,
  getTask,
  queryUsers,
  restoreUsers,
  updateUserPartial,
  upsertUser,
} from "./user-operations.mjs";

const DEFAULT_API_KEY = "sandbox-key";
const DEFAULT_SECRET = "sandbox-secret";

const byId = (id) => document.getElementById(id);

/** The loaded package and the client built from the connection form. */
const session = { pkg: undefined, client: undefined, settings: undefined };

const activityLog = byId("activity-log");
const progress = new TaskProgress({
  panel: byId("task-panel"),
  progress: byId("task-progress"),
  status: byId("task-status"),
  cancel: byId("task-cancel"),
});

function isStreamError(error) {
  return session.pkg !== undefined && error instanceof session.pkg.StreamError;
}

function requireClient() {
  if (session.pkg === undefined) {
    throw new FormError("The stream-edge package did not load, see the message at the top.");
  }
  if (session.client === undefined) {
    throw new FormError("Not connected: fill in the Connection form and press Connect.");
  }
  return session.client;
}

/**
 * Runs `handler` when the form is submitted and shows its outcome in the output area.
 * `operationName(action)` names the operation in the activity log, where `action` is the
 * value of the pressed button.
 */
function bindForm(formId, outputId, operationName, handler) {
  const form = byId(formId);
  const output = byId(outputId);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const action = event.submitter?.value ?? "";
    const operation = operationName(action);
    try {
      const client = requireClient();
      showBusy(output, `${operation}…`);
      const outcome = await handler({ client, settings: session.settings, form, action, output });
      // Refresh before showing the outcome, so the table is current once the result shows.
      if (outcome.refreshUsers) await refreshUsers();
      showOutcome(output, outcome.state ?? "ok", outcome);
      logActivity(activityLog, operation, outcome.state !== "error", outcome.summary);
    } catch (error) {
      showError(output, error, isStreamError(error));
      logActivity(activityLog, operation, false, `${error?.name}: ${error?.message}`);
    }
  });
}

let refreshGeneration = 0;

/**
 * Queries users with the settings of the Users form and returns the error, if any. Only the
 * latest of overlapping queries is rendered.
 */
async function refreshUsers() {
  const output = byId("out-users");
  const generation = ++refreshGeneration;
  try {
    const client = requireClient();
    const form = byId("users-form");
    const outcome = await queryUsers({ client, form, table: byId("users-table") });
    if (generation === refreshGeneration) showOutcome(output, "ok", outcome);
    return undefined;
  } catch (error) {
    if (generation === refreshGeneration) showError(output, error, isStreamError(error));
    return error;
  }
}

/** Builds a new client from the connection form and checks that the sandbox is up. */
async function connect(form) {
  if (session.pkg === undefined) {
    throw new FormError("The stream-edge package did not load, see the message at the top.");
  }
  const settings = {
    basePath: new URL(requiredText(form, "basePath", "Sandbox URL")).origin,
    apiKey: requiredText(form, "apiKey", "API key"),
    secret: requiredText(form, "secret", "API secret"),
    timeout: optionalNumber(form, "timeout") ?? 3000,
  };
  const client = new session.pkg.StreamClient(settings.apiKey, settings.secret, {
    basePath: settings.basePath,
    timeout: settings.timeout,
  });
  session.client?.free();
  session.client = client;
  session.settings = settings;

  const health = await fetch(new URL("/_sandbox/health", settings.basePath), {
    signal: AbortSignal.timeout(settings.timeout),
  }).catch((error) => ({ ok: false, status: error.message }));
  if (!health.ok) {
    return {
      state: "error",
      summary: `The sandbox health check at ${settings.basePath} failed (${health.status}).`,
    };
  }

  // The first query checks the API key and secret.
  const failure = await refreshUsers();
  if (failure !== undefined) {
    return {
      state: "error",
      summary: `The sandbox is up, but querying users failed: ${failure.message}`,
      fields: isStreamError(failure)
        ? [
            ["status", String(failure.status)],
            ["code", String(failure.code)],
          ]
        : [],
    };
  }
  return { summary: `Connected to ${settings.basePath} with API key ${settings.apiKey}` };
}

function bindConnectionForm() {
  const form = byId("connection-form");
  const output = byId("out-connection");
  const params = new URLSearchParams(location.search);
  const origin = location.protocol.startsWith("http") ? location.origin : "http://127.0.0.1:8787";
  form.elements.basePath.value = params.get("basePath") ?? origin;
  form.elements.apiKey.value = params.get("apiKey") ?? DEFAULT_API_KEY;
  form.elements.secret.value = DEFAULT_SECRET;

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      showBusy(output, "Connecting…");
      const outcome = await connect(form);
      showOutcome(output, outcome.state ?? "ok", outcome);
      logActivity(activityLog, "connect", outcome.state !== "error", outcome.summary);
    } catch (error) {
      showError(output, error, isStreamError(error));
      logActivity(activityLog, "connect", false, `${error?.name}: ${error?.message}`);
    }
  });
}

/** Opens a token in the inspector and inspects it. */
function inspectToken(token) {
  const form = byId("inspect-form");
  form.elements.token.value = token;
  form.requestSubmit();
  form.scrollIntoView({ block: "nearest" });
}

function bindOperations() {
  const same = (name) => () => name;
  const inspectForm = byId("inspect-form");

  bindForm("upsert-form", "out-upsert", same("upsertUsers"), upsertUser);
  bindForm("partial-form", "out-partial", same("updateUsersPartial"), updateUserPartial);
  bindForm(
    "activation-one-form",
    "out-activation-one",
    (action) => `${action}User`,
    changeOneActivation,
  );
  bindForm(
    "activation-many-form",
    "out-activation-many",
    (action) => `${action}Users`,
    (context) => changeManyActivations({ ...context, progress }),
  );
  bindForm("delete-form", "out-delete", same("deleteUsers"), (context) =>
    deleteUsers({ ...context, progress }),
  );
  bindForm("restore-form", "out-restore", same("restoreUsers"), restoreUsers);
  bindForm("task-form", "out-task", same("getTask"), getTask);
  bindForm("guest-form", "out-guest", same("createGuest"), (context) =>
    createGuest({ ...context, inspectToken }),
  );
  bindForm("export-form", "out-export", same("exportUser"), exportUser);
  bindForm(
    "token-form",
    "out-token",
    (action) => (action === "call" ? "generateCallToken" : "generateUserToken"),
    (context) => generateToken({ ...context, inspectForm }),
  );
  bindForm("inspect-form", "out-token", same("inspect token"), inspectTokenForm);
  bindForm("fault-form", "out-fault", (action) => `${action} sandbox fault`, changeFaults);

  byId("users-form").addEventListener("submit", (event) => {
    event.preventDefault();
    byId("out-users").dataset.state = "busy";
    refreshUsers();
  });
}

/** Imports the package; the page stays usable for reading when it cannot be loaded. */
async function loadPackage() {
  const status = byId("package-status");
  try {
    session.pkg = await import("./pkg/web.mjs");
    const manifest = await fetch("./pkg/package.json").then((response) => response.json());
    status.textContent = `${manifest.name} ${manifest.version} loaded (WebAssembly core).`;
    status.dataset.state = "ok";
  } catch (error) {
    status.textContent =
      `Could not load ./pkg/web.mjs (${error.message}). Run 'make demo', which builds the ` +
      "package and serves it next to this page.";
    status.dataset.state = "error";
  }
}

bindConnectionForm();
bindOperations();
await loadPackage();
if (session.pkg !== undefined) byId("connection-form").requestSubmit();
