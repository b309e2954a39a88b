// Form handlers for the user and task operations. Each reads its form, calls one
// StreamClient method and returns what the page shows: a summary line, label/value fields,
// the response JSON, and whether the user table needs a refresh afterwards.

import {
  checkedOrUndefined,
  compact,
  FormError,
  optionalJsonObject,
  optionalList,
  optionalNumber,
  optionalText,
  requiredList,
  requiredText,
} from "./form-values.mjs";
import { formatDate, metadataFields, renderUsers, showBusy, withoutMetadata } from "./render.mjs";

/** `upsertUsers` with one user built from the form. */
export async function upsertUser({ client, form }) {
  const user = compact({
    id: requiredText(form, "id", "User ID"),
    name: optionalText(form, "name"),
    image: optionalText(form, "image"),
    role: optionalText(form, "role"),
    teams: optionalList(form, "teams"),
    custom: optionalJsonObject(form, "custom", "Custom data"),
  });

  const response = await client.upsertUsers([user]);
  const stored = response.users[user.id];
  return {
    summary: `Upserted user ${user.id}`,
    fields: [...userFields(stored), ...metadataFields(response.metadata)],
    json: withoutMetadata(response),
    refreshUsers: true,
  };
}

/** `updateUsersPartial` with the `set` and `unset` of one user. */
export async function updateUserPartial({ client, form }) {
  const id = requiredText(form, "id", "User ID");
  const set = optionalJsonObject(form, "set", "Fields to set");
  const unset = optionalList(form, "unset");
  if (set === undefined && unset === undefined) {
    throw new FormError("Nothing to update: enter fields to set, fields to unset, or both.");
  }

  const response = await client.updateUsersPartial({ users: [compact({ id, set, unset })] });
  const stored = response.users[id];
  return {
    summary: `Updated user ${id}`,
    fields: [
      ["set", set === undefined ? undefined : Object.keys(set).join(", ")],
      ["unset", unset?.join(", ")],
      ...userFields(stored),
      ...metadataFields(response.metadata),
    ],
    json: withoutMetadata(response),
    refreshUsers: true,
  };
}

/** `deactivateUser` or `reactivateUser`, depending on the button pressed. */
export async function changeOneActivation({ client, form, action }) {
  const user_id = requiredText(form, "user_id", "User ID");
  const created_by_id = optionalText(form, "created_by_id");

  const response =
    action === "deactivate"
      ? await client.deactivateUser(
          compact({
            user_id,
            mark_messages_deleted: checkedOrUndefined(form, "mark_messages_deleted"),
            created_by_id,
          }),
        )
      : await client.reactivateUser(
          compact({
            user_id,
            restore_messages: checkedOrUndefined(form, "restore_messages"),
            created_by_id,
          }),
        );

  const verb = action === "deactivate" ? "Deactivated" : "Reactivated";
  return {
    summary: `${verb} user ${user_id}`,
    fields: [...userFields(response.user), ...metadataFields(response.metadata)],
    json: withoutMetadata(response),
    refreshUsers: true,
  };
}

/** `deactivateUsers` or `reactivateUsers`, then follows the task until it ends. */
export async function changeManyActivations({ client, form, action, output, progress }) {
  const user_ids = requiredList(form, "user_ids", "User IDs");
  const created_by_id = optionalText(form, "created_by_id");

  const started =
    action === "deactivate"
      ? await client.deactivateUsers(
          compact({
            user_ids,
            mark_messages_deleted: checkedOrUndefined(form, "mark_messages_deleted"),
            mark_channels_deleted: checkedOrUndefined(form, "mark_channels_deleted"),
            created_by_id,
          }),
        )
      : await client.reactivateUsers(
          compact({
            user_ids,
            restore_messages: checkedOrUndefined(form, "restore_messages"),
            restore_channels: checkedOrUndefined(form, "restore_channels"),
            created_by_id,
          }),
        );

  const label = action === "deactivate" ? "Deactivate users" : "Reactivate users";
  return followTask({ client, output, progress, label, user_ids, started });
}

/** `deleteUsers` with every option the form offers, then follows the task until it ends. */
export async function deleteUsers({ client, form, output, progress }) {
  const user_ids = requiredList(form, "user_ids", "User IDs");
  const request = compact({
    user_ids,
    user: optionalText(form, "user"),
    conversations: optionalText(form, "conversations"),
    messages: optionalText(form, "messages"),
    calls: optionalText(form, "calls"),
    new_channel_owner_id: optionalText(form, "new_channel_owner_id"),
    new_call_owner_id: optionalText(form, "new_call_owner_id"),
    files: checkedOrUndefined(form, "files"),
  });

  const started = await client.deleteUsers(request);
  const outcome = await followTask({
    client,
    output,
    progress,
    label: "Delete users",
    user_ids,
    started,
  });
  const { user_ids: _ids, ...options } = request;
  outcome.fields.unshift(["options", Object.keys(options).length === 0 ? "none" : options]);
  return outcome;
}

/** `restoreUsers`. */
export async function restoreUsers({ client, form }) {
  const user_ids = requiredList(form, "user_ids", "User IDs");

  const response = await client.restoreUsers({ user_ids });
  return {
    summary: `Restored ${user_ids.join(", ")}`,
    fields: metadataFields(response.metadata),
    json: withoutMetadata(response),
    refreshUsers: true,
  };
}

/** `getTask`: reads a task's state once. */
export async function getTask({ client, form }) {
  const id = requiredText(form, "id", "Task ID");

  const task = await client.getTask({ id });
  return {
    summary: `Task ${task.task_id} is ${task.status}`,
    fields: [
      ["created_at", formatDate(task.created_at)],
      ["updated_at", formatDate(task.updated_at)],
      ...metadataFields(task.metadata),
    ],
    json: withoutMetadata(task),
  };
}

/** `createGuest`; offers to open the guest's access token in the token inspector. */
export async function createGuest({ client, form, inspectToken }) {
  const user = compact({
    id: requiredText(form, "id", "Guest user ID"),
    name: optionalText(form, "name"),
  });

  const response = await client.createGuest({ user });
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = "Inspect the guest's token";
  button.addEventListener("click", () => inspectToken(response.access_token));
  return {
    summary: `Created guest ${response.user.id} with role ${response.user.role}`,
    fields: [["access_token", response.access_token], ...metadataFields(response.metadata)],
    extra: [button],
    json: withoutMetadata(response),
    refreshUsers: true,
  };
}

/** `exportUser`. */
export async function exportUser({ client, form }) {
  const user_id = requiredText(form, "user_id", "User ID to export");

  const response = await client.exportUser({ user_id });
  const messages = response.messages?.length ?? 0;
  const reactions = response.reactions?.length ?? 0;
  return {
    summary: `Exported user ${user_id}: ${messages} messages, ${reactions} reactions`,
    fields: [...userFields(response.user), ...metadataFields(response.metadata)],
    json: withoutMetadata(response),
  };
}

/** `queryUsers` with the filter, limit and deactivated-users toggle of the form. */
export async function queryUsers({ client, form, table }) {
  const include_deactivated_users = form.elements.include_deactivated_users.checked;
  const payload = compact({
    filter_conditions: optionalJsonObject(form, "filter", "Filter") ?? {},
    limit: optionalNumber(form, "limit"),
    include_deactivated_users,
  });

  const response = await client.queryUsers({ payload });
  renderUsers(table.tBodies[0], response.users);
  const scope = include_deactivated_users ? "including deactivated" : "active only";
  return {
    summary: `${response.users.length} users (${scope})`,
    fields: metadataFields(response.metadata),
  };
}

/** Starts following a task; resolves with the outcome once it completed. */
async function followTask({ client, output, progress, label, user_ids, started }) {
  showBusy(output, `${label}: task ${started.task_id} started, polling…`);
  const task = await progress.follow(client, started.task_id, label);
  return {
    summary: `${label} ${user_ids.join(", ")}: task ${task.status}`,
    fields: [
      ["task_id", task.task_id],
      ["status", task.status],
      ["result", task.result],
      ...metadataFields(started.metadata),
    ],
    json: withoutMetadata(task),
    refreshUsers: true,
  };
}

/** Label/value pairs of a stored user. */
function userFields(user) {
  if (!user) return [];
  return [
    ["name", user.name],
    ["role", user.role],
    ["custom", user.custom],
    ["created_at", formatDate(user.created_at)],
    ["updated_at", formatDate(user.updated_at)],
    ["deactivated_at", user.deactivated_at && formatDate(user.deactivated_at)],
  ];
}
