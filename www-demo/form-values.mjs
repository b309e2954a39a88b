// Reads typed values out of the demo's forms. Optional fields that are left empty come back
// as `undefined`, so `compact` can drop them and the request carries only what was entered.

/** Input the page rejects before calling the package, for example custom data that is not JSON. */
export class FormError extends Error {
  constructor(message) {
    super(message);
    this.name = "FormError";
  }
}

/** Returns the trimmed text of a field, or `undefined` when it is empty. */
export function optionalText(form, name) {
  const value = form.elements[name].value.trim();
  return value === "" ? undefined : value;
}

/** Returns the trimmed text of a field that must not be empty. */
export function requiredText(form, name, label) {
  const value = optionalText(form, name);
  if (value === undefined) {
    throw new FormError(`${label} is missing; enter a value.`);
  }
  return value;
}

/** Returns `true` when the checkbox is ticked, `undefined` otherwise. */
export function checkedOrUndefined(form, name) {
  return form.elements[name].checked ? true : undefined;
}

/** Splits a comma-separated field into trimmed, non-empty items; `undefined` when empty. */
export function optionalList(form, name) {
  const text = optionalText(form, name);
  if (text === undefined) return undefined;
  const items = text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
  return items.length === 0 ? undefined : items;
}

/** Splits a comma-separated field that must name at least one item. */
export function requiredList(form, name, label) {
  const items = optionalList(form, name);
  if (items === undefined) {
    throw new FormError(`${label} is missing; enter one or more values separated by commas.`);
  }
  return items;
}

/** Parses a field as a JSON object; `undefined` when the field is empty. */
export function optionalJsonObject(form, name, label) {
  const text = optionalText(form, name);
  if (text === undefined) return undefined;

  let value;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new FormError(`${label} is not valid JSON (${error.message}).`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new FormError(`${label} must be a JSON object such as {"color": "teal"}, got ${text}.`);
  }
  return value;
}

/**
 * Parses a number field; `undefined` when empty. The value is passed on unchecked, so the
 * package itself reports values it rejects, such as a negative token validity.
 */
export function optionalNumber(form, name) {
  const text = optionalText(form, name);
  return text === undefined ? undefined : Number(text);
}

/** Returns a copy of `object` without the keys whose value is `undefined`. */
export function compact(object) {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}
