"""schemathesis hooks, loaded through SCHEMATHESIS_HOOKS by test_schemathesis.py.

`POST /api/v2/users` keys each user by its id, and Stream rejects a key that differs from the
user's `id`. Generated maps pick keys and ids independently, so this hook re-keys every map
whose values all carry a string `id`. Bodies of any other shape pass through unchanged.
"""

import schemathesis


@schemathesis.hook
def map_body(context, body):
    operation = context.operation
    if operation is None:
        return body
    if (operation.method.upper(), operation.path) != ("POST", "/api/v2/users"):
        return body
    if not isinstance(body, dict) or not isinstance(body.get("users"), dict):
        return body
    users = list(body["users"].values())
    if not users or not all(isinstance(u, dict) and isinstance(u.get("id"), str) for u in users):
        return body
    return {**body, "users": {user["id"]: user for user in users}}
