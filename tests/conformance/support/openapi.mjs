// Validates Stream API response bodies against the OpenAPI document in spec/openapi-users.json
// (Stream API v236.0.4), with ajv and ajv-formats.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import Ajv from "ajv";
import addFormats from "ajv-formats";

const SPEC_PATH = fileURLToPath(new URL("../../../spec/openapi-users.json", import.meta.url));
const SPEC_ID = "https://stream-edge.invalid/openapi-users.json";

export const spec = JSON.parse(readFileSync(SPEC_PATH, "utf8"));

/**
 * Rewrites every `{"type": "number", "format": "date-time"}` node into
 * `{"type": "string", "format": "date-time"}` (other keys kept).
 *
 * Stream's code generator types timestamps as numbers because its SDKs may decode them from
 * nanosecond integers, but the JSON API sends RFC 3339 strings such as
 * "2024-05-01T10:00:00.123456Z", and the official Node SDK decodes both forms. Validating the
 * document unchanged would reject every real Stream response, and accepting both forms would let a
 * sandbox that sends numbers pass, so the tests require what Stream sends: a string that
 * ajv-formats' strict RFC 3339 `date-time` check accepts (time zone required).
 */
function stringTimestamps(node) {
  if (Array.isArray(node)) {
    return node.map(stringTimestamps);
  }
  if (node === null || typeof node !== "object") {
    return node;
  }
  const copy = {};
  for (const [key, value] of Object.entries(node)) {
    copy[key] = stringTimestamps(value);
  }
  if (copy.type === "number" && copy.format === "date-time") {
    copy.type = "string";
  }
  return copy;
}

/** Collects the vendor keywords (`x-stream-index`, ...) that ajv's strict mode must know. */
function vendorKeywords(node, found = new Set()) {
  if (Array.isArray(node)) {
    node.forEach((item) => vendorKeywords(item, found));
  } else if (node !== null && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith("x-")) {
        found.add(key);
      } else {
        vendorKeywords(value, found);
      }
    }
  }
  return found;
}

function createAjv() {
  // `nullable` (OpenAPI 3.0) is understood by ajv itself. `example` is OpenAPI metadata that
  // JSON Schema lacks, and `components` only carries the schemas that `$ref`s point into.
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
  addFormats(ajv);
  ajv.addVocabulary(["components", "example", ...vendorKeywords(spec.components.schemas)]);

  // The `$ref`s in the document read `#/components/schemas/NAME`, so the schemas are registered
  // under a root with the same shape and resolved against its `$id`.
  ajv.addSchema({
    $id: SPEC_ID,
    components: { schemas: stringTimestamps(spec.components.schemas) },
  });
  return ajv;
}

const ajv = createAjv();
const validators = new Map();

/** Returns the compiled validator of `components/schemas/NAME`. */
export function schemaValidator(name) {
  if (!(name in spec.components.schemas)) {
    throw new Error(`schema ${name} is not in ${SPEC_PATH}`);
  }
  let validate = validators.get(name);
  if (validate === undefined) {
    validate = ajv.compile({ $ref: `${SPEC_ID}#/components/schemas/${name}` });
    validators.set(name, validate);
  }
  return validate;
}

function templateToRegExp(template) {
  const pattern = template.replace(/\{[^}]+\}/g, "[^/]+");
  return new RegExp(`^${pattern}$`);
}

/**
 * Finds the OpenAPI operation for a request. A path without parameters wins over a templated
 * one, so `/api/v2/users/deactivate` is not read as `/api/v2/users/{user_id}`.
 */
export function findOperation(method, path) {
  const lower = method.toLowerCase();
  let templated;
  for (const [template, item] of Object.entries(spec.paths)) {
    const operation = item[lower];
    if (operation === undefined || !templateToRegExp(template).test(path)) {
      continue;
    }
    if (!template.includes("{")) {
      return { template, operation };
    }
    templated ??= { template, operation };
  }
  return templated;
}

function refName(schema) {
  return schema.$ref.replace("#/components/schemas/", "");
}

/**
 * Names the schema a response must match. Statuses the operation lists use their own schema.
 * Error statuses it does not list (401, 403, 404, 413, 5xx) still carry Stream's error envelope,
 * so they are checked against `APIError`. A success status the operation does not list has no
 * schema, because the sandbox returned a status that Stream does not use.
 */
export function responseSchemaName(method, path, status) {
  const found = findOperation(method, path);
  if (found === undefined) {
    throw new Error(`no operation in the OpenAPI document for ${method} ${path}`);
  }
  const response = found.operation.responses[String(status)];
  if (response !== undefined) {
    return refName(response.content["application/json"].schema);
  }
  if (status >= 400) {
    return "APIError";
  }
  const listed = Object.keys(found.operation.responses).join(", ");
  throw new Error(
    `${method} ${found.template} returned status ${status}, ` +
      `but the OpenAPI document lists only ${listed}`,
  );
}

/**
 * Validates a parsed response body. Returns a list of problems, empty when the body matches the
 * schema that the method, path and status select.
 */
export function validateResponse(method, path, status, body) {
  let name;
  try {
    name = responseSchemaName(method, path, status);
  } catch (error) {
    return [error.message];
  }
  const validate = schemaValidator(name);
  if (validate(body)) {
    return [];
  }
  return validate.errors.map(
    (error) => `${method} ${path} ${status} ${name}${error.instancePath} ${error.message}`,
  );
}
