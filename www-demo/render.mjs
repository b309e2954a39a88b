// Renders results, errors, the user table and the activity log.
//
// Every output area carries `data-state` ("busy", "ok" or "error") and `data-seq`, a counter
// that grows each time an operation finishes there, so scripts driving the page can wait for
// the next result.

const MAX_LOG_ENTRIES = 100;

/** Creates an element with optional class and text. */
export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Formats a response or task result as indented JSON; Dates print as ISO 8601 strings. */
export function toJson(value) {
  return JSON.stringify(value, null, 2);
}

/** Returns the body of a response without its `metadata`, which contains a Headers object. */
export function withoutMetadata(response) {
  const { metadata: _metadata, ...body } = response;
  return body;
}

/** Shows that an operation is running. */
export function showBusy(output, text) {
  output.dataset.state = "busy";
  output.replaceChildren(element("p", "summary", text));
}

/**
 * Shows the outcome of an operation: a one-line summary, then optional label/value pairs
 * and an optional JSON document in a collapsible block.
 */
export function showOutcome(output, state, { summary, fields = [], json, extra = [] }) {
  const children = [element("p", "summary", summary)];
  if (fields.length > 0) children.push(fieldList(fields));
  children.push(...extra);
  if (json !== undefined) {
    const details = element("details");
    details.append(element("summary", "", "Response JSON"), element("pre", "", toJson(json)));
    children.push(details);
  }

  output.replaceChildren(...children);
  output.dataset.state = state;
  output.dataset.seq = String(Number(output.dataset.seq ?? 0) + 1);
}

/** Builds a definition list from `[label, value]` pairs, skipping undefined values. */
export function fieldList(fields) {
  const list = element("dl", "fields");
  for (const [label, value] of fields) {
    if (value === undefined) continue;
    const shown = typeof value === "string" ? value : JSON.stringify(value);
    list.append(element("dt", "", label), element("dd", "", shown));
  }
  return list;
}

/** Returns `value` as a string, or `undefined` when it is undefined. */
function optionalString(value) {
  return value === undefined ? undefined : String(value);
}

/** Returns the label/value pairs of the response metadata worth showing. */
export function metadataFields(metadata) {
  if (!metadata) return [];
  const rateLimit = metadata.rateLimit ?? {};
  const remaining =
    rateLimit.rateLimitRemaining === undefined
      ? undefined
      : `${rateLimit.rateLimitRemaining} of ${rateLimit.rateLimit} left`;
  return [
    ["HTTP status", optionalString(metadata.responseCode)],
    ["Request ID", metadata.clientRequestId],
    ["Rate limit", remaining],
  ];
}

/**
 * Shows an error. A StreamError is shown with its kind, status, Stream code and other
 * fields. Any other error, such as a FormError, is shown with its name and message.
 */
export function showError(output, error, isStreamError) {
  if (!isStreamError) {
    const name = error?.name ?? "Error";
    showOutcome(output, "error", {
      summary: `${name}: ${error?.message ?? String(error)}`,
    });
    return;
  }

  const status = error.status === undefined ? "no HTTP status" : `status ${error.status}`;
  const code = error.code === undefined ? "no Stream code" : `code ${error.code}`;
  showOutcome(output, "error", {
    summary: `StreamError (${error.kind}): ${status}, ${code}`,
    fields: [
      ["message", error.message],
      ["kind", error.kind],
      ["operation", error.operation],
      ["status", optionalString(error.status)],
      ["code", optionalString(error.code)],
      ["unrecoverable", optionalString(error.unrecoverable)],
      ["exception_fields", error.exception_fields],
      ["more_info", error.more_info],
      ...metadataFields(error.metadata),
    ],
  });
}

/** Returns "active", "deactivated" or "deleted" for a user. */
export function userState(user) {
  if (user.deleted_at) return "deleted";
  if (user.deactivated_at) return "deactivated";
  return "active";
}

/** Replaces the rows of the user table. */
export function renderUsers(tbody, users) {
  const rows = users.map((user) => {
    const row = element("tr");
    row.dataset.userId = user.id;
    const state = userState(user);
    const badge = element("span", `badge ${state}`, state);
    const custom = element("code", "", JSON.stringify(user.custom ?? {}));
    const cells = [
      element("td", "", user.id),
      element("td", "", user.name ?? ""),
      element("td", "", user.role),
      element("td", "", (user.teams ?? []).join(", ")),
      element("td"),
      element("td"),
      element("td", "", formatDate(user.updated_at)),
    ];
    cells[4].append(custom);
    cells[5].append(badge);
    row.append(...cells);
    return row;
  });
  tbody.replaceChildren(...rows);
}

/** Formats a Date (or anything else) for a table cell. */
export function formatDate(value) {
  return value instanceof Date ? value.toISOString().replace(".000Z", "Z") : String(value ?? "");
}

/** Adds an entry at the top of the activity log and drops the oldest beyond the maximum. */
export function logActivity(log, operation, ok, detail) {
  const time = new Date().toTimeString().slice(0, 8);
  const entry = element("li", ok ? "ok" : "error", `${time} ${operation}: ${detail}`);
  log.prepend(entry);
  while (log.children.length > MAX_LOG_ENTRIES) log.lastElementChild.remove();
}
