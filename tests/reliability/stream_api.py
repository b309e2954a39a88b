"""A small HTTP client for the sandbox's Stream API, authenticated as Stream expects.

Every request carries the `api_key` query parameter, `stream-auth-type: jwt` and an HS256
server token (`{"server": true}`) signed with the app secret. Each `Client` keeps one
keep-alive connection, so give each thread its own.
"""

import base64
import hashlib
import hmac
import http.client
import json
import urllib.parse
from dataclasses import dataclass

from sandbox_process import API_KEY, API_SECRET

REQUEST_TIMEOUT_S = 60


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def sign_token(claims, secret=API_SECRET):
    """Return an HS256 JWT of `claims` signed with `secret`."""
    header = b64url(b'{"alg":"HS256","typ":"JWT"}')
    payload = b64url(json.dumps(claims, separators=(",", ":")).encode())
    signing_input = f"{header}.{payload}".encode("ascii")
    signature = hmac.new(secret.encode(), signing_input, hashlib.sha256).digest()
    return f"{header}.{payload}.{b64url(signature)}"


SERVER_TOKEN = sign_token({"server": True})


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)

    def describe(self):
        text = self.body[:300].decode("utf-8", "replace")
        return f"HTTP {self.status}: {text}"


class Client:
    """One keep-alive connection to the sandbox."""

    def __init__(self, base_url, token=SERVER_TOKEN):
        parsed = urllib.parse.urlsplit(base_url)
        self.host = parsed.hostname
        self.port = parsed.port
        self.token = token
        self.connection = None

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def auth_headers(self):
        return {"Authorization": self.token, "stream-auth-type": "jwt"}

    def path_with_key(self, path, query=None):
        params = {"api_key": API_KEY, **(query or {})}
        return f"{path}?{urllib.parse.urlencode(params)}"

    def send(self, method, target, body=None, headers=None):
        """Send one request to the raw `target` (path and query) and return the response.

        A connection error propagates, and the connection is reopened on the next call.
        """
        if self.connection is None:
            self.connection = http.client.HTTPConnection(
                self.host, self.port, timeout=REQUEST_TIMEOUT_S
            )
        try:
            self.connection.request(method, target, body=body, headers=headers or {})
            reply = self.connection.getresponse()
            data = reply.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        response = Response(reply.status, {k.lower(): v for k, v in reply.getheaders()}, data)
        if reply.will_close:
            self.close()
        return response

    def call(self, method, path, payload=None, query=None):
        """Send an authenticated API request with an optional JSON body."""
        headers = self.auth_headers()
        body = None
        if payload is not None:
            body = json.dumps(payload).encode()
            headers["Content-Type"] = "application/json"
        return self.send(method, self.path_with_key(path, query), body, headers)

    def upsert_users(self, users):
        return self.call("POST", "/api/v2/users", {"users": {u["id"]: u for u in users}})

    def update_users_partial(self, updates):
        return self.call("PATCH", "/api/v2/users", {"users": updates})

    def query_users(self, payload):
        return self.call("GET", "/api/v2/users", query={"payload": json.dumps(payload)})

    def users_by_id(self, ids, include_deactivated=True):
        """Return {id: user} for the given ids, querying them 100 at a time."""
        found = {}
        ids = sorted(set(ids))
        for start in range(0, len(ids), 100):
            chunk = ids[start:start + 100]
            response = self.query_users({
                "filter_conditions": {"id": {"$in": chunk}},
                "limit": 100,
                "include_deactivated_users": include_deactivated,
            })
            if response.status != 200:
                raise AssertionError(f"queryUsers failed: {response.describe()}")
            for user in response.json()["users"]:
                found[user["id"]] = user
        return found


def custom_field(user, name):
    """Return custom field `name` of a user response, read from `custom` or the top level."""
    custom = user.get("custom") or {}
    if name in custom:
        return custom[name]
    return user.get(name)
