"""Validate response bodies against the response schemas of Stream's OpenAPI document.

The document is read as openapi_copy.py edits it for schemathesis (timestamps as strings).
OpenAPI 3.0's `nullable: true` becomes a JSON Schema type list, so that the draft 4 validator
of jsonschema_rs, which schemathesis also uses, reads the schemas as schemathesis does.
"""

import json

import jsonschema_rs

import openapi_copy
from sandbox_process import REPO_ROOT

SPEC = REPO_ROOT / "spec" / "openapi-users.json"


def nullable_as_type(node):
    """Return `node` with each `nullable: true` turned into a `null` member of `type`."""
    if isinstance(node, list):
        return [nullable_as_type(item) for item in node]
    if not isinstance(node, dict):
        return node
    copy = {key: nullable_as_type(value) for key, value in node.items()}
    if copy.pop("nullable", False) and isinstance(copy.get("type"), str):
        copy["type"] = [copy["type"], "null"]
    return copy


def load_components():
    spec = openapi_copy.string_timestamps(json.loads(SPEC.read_text()))
    return nullable_as_type(spec["components"])


COMPONENTS = load_components()


def violations(schema_name, body):
    """Return the schema errors of `body` as `path: message` lines (empty when it conforms)."""
    validator = jsonschema_rs.Draft4Validator(
        {"components": COMPONENTS, "$ref": f"#/components/schemas/{schema_name}"}
    )
    return [
        f"{'.'.join(str(part) for part in error.instance_path)}: {error.message[:200]}"
        for error in validator.iter_errors(body)
    ]
