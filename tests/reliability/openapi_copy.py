"""The copy of Stream's OpenAPI document that schemathesis runs on.

Two kinds of edits, both listed here:
- Timestamps: the document types them as `{"type": "number", "format": "date-time"}`, while
  Stream's API sends RFC 3339 strings (the official Node SDK decodes both). The copy has
  `"type": "string"`, so responses must carry what Stream sends.
- Generation hints on request schemas only: Stream accepts user ids of 1 to 255 letters,
  digits, `@`, `_` and `-`, and only known roles, but the document does not say so. Without
  the hints nearly every generated write is rejected with 400, and success responses are
  seldom checked. Negative generation still sends ids and roles outside the hints.
Response schemas are otherwise unchanged.
"""

import json

USER_ID = {"type": "string", "pattern": "^[A-Za-z0-9@_-]{1,32}$"}
ROLES = ["user", "admin", "moderator", "guest"]


def string_timestamps(node):
    """Return `node` with every number-typed `date-time` schema retyped as a string."""
    if isinstance(node, list):
        return [string_timestamps(item) for item in node]
    if not isinstance(node, dict):
        return node
    copy = {key: string_timestamps(value) for key, value in node.items()}
    if copy.get("type") == "number" and copy.get("format") == "date-time":
        copy["type"] = "string"
    return copy


def add_generation_hints(spec):
    """Constrain user ids, roles and collection sizes in request schemas and path parameters."""
    schemas = spec["components"]["schemas"]
    schemas["UserRequest"]["properties"]["id"] = dict(USER_ID)
    schemas["UserRequest"]["properties"]["role"] = {"type": "string", "enum": ROLES}
    schemas["UpdateUserPartialRequest"]["properties"]["id"] = dict(USER_ID)
    schemas["UpdateUsersRequest"]["properties"]["users"].update(
        {"minProperties": 1, "maxProperties": 3, "propertyNames": dict(USER_ID)}
    )
    schemas["UpdateUsersPartialRequest"]["properties"]["users"].update(
        {"minItems": 1, "maxItems": 3}
    )
    for name in ["DeactivateUsersRequest", "ReactivateUsersRequest", "DeleteUsersRequest",
                 "RestoreUsersRequest"]:
        schemas[name]["properties"]["user_ids"]["items"] = dict(USER_ID)

    for path, methods in spec["paths"].items():
        for operation in methods.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "path" and parameter["name"] == "user_id":
                    parameter["schema"] = {**parameter["schema"], **USER_ID}
    return spec


def write_copy(source, destination):
    """Write the edited copy of the OpenAPI document at `source` to `destination`."""
    spec = string_timestamps(json.loads(source.read_text()))
    destination.write_text(json.dumps(add_generation_hints(spec)))
