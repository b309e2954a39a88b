"""The table of hostile requests sent to the sandbox, each with the responses it allows.

Expectations:
- REJECT: a 4xx with Stream's error envelope and code 4, or 413 with the envelope.
- ACCEPT: a 2xx, for inputs that look hostile but are valid; `verify` checks the result.
- EITHER: a 2xx (the input is odd but valid, and `verify` checks what was stored or found),
  or what REJECT requires.
- CLIENT_ERROR: a 4xx with the error envelope and any code (authentication failures and
  unknown tasks have their own codes). ACCEPT_OR_CLIENT_ERROR also allows a 2xx.
- TRANSPORT: any 4xx. Only for limits that the HTTP server enforces before the application
  sees the request (414 for a URI longer than 64 KiB, 431 for huge headers, 400 for a request
  line that is not HTTP); those responses carry no envelope.
Every case also requires no 5xx and a sandbox that is still up and answering afterwards.
"""

import json
import urllib.parse
import zlib
from dataclasses import dataclass, field
from typing import Callable, Optional

from stream_api import sign_token


@dataclass(frozen=True)
class Expect:
    # Whether a 2xx response is allowed.
    success_allowed: bool
    # What an error response must carry: "code4" (the envelope with code 4, or 413 with the
    # envelope), "envelope" (the envelope with any code) or "any" (nothing).
    error_body: str
    success_required: bool = False


REJECT = Expect(False, "code4")
ACCEPT = Expect(True, "code4", success_required=True)
EITHER = Expect(True, "code4")
CLIENT_ERROR = Expect(False, "envelope")
ACCEPT_OR_CLIENT_ERROR = Expect(True, "envelope")
TRANSPORT = Expect(False, "any")

MIB = 1024 * 1024

# Users present before the hostile requests; the last test checks they are all intact.
FIXTURE_USERS = [
    {"id": "alice", "name": "Alice", "custom": {"tier": 1}},
    {"id": "bob", "name": "Bob", "custom": {"tier": 2}},
    {"id": "percent", "name": "50% off", "custom": {"tier": 3}},
    {"id": "underscore", "name": "under_score", "custom": {"tier": 4}},
    {"id": "quote", "name": "O'Brien", "custom": {"tier": 5}},
]


@dataclass
class Case:
    name: str
    method: str
    # Path, optionally with a query; `api_key` is appended unless `with_key` is false.
    target: object
    expect: Expect
    # Bytes, None, or a function that returns the bytes when the case runs.
    body: object = None
    content_type: Optional[str] = "application/json"
    headers: dict = field(default_factory=dict)
    with_key: bool = True
    # Called with the decoded 2xx body of an EITHER case; raises AssertionError when wrong.
    verify: Optional[Callable] = None


def body_of(value):
    return json.dumps(value).encode()


def users_body(*users):
    return body_of({"users": {u["id"]: u for u in users}})


def query_target(payload, raw=False):
    """Return `/api/v2/users?payload=...`, percent-encoded unless `raw`."""
    text = payload if isinstance(payload, str) else json.dumps(payload, separators=(",", ":"))
    encoded = text if raw else urllib.parse.quote(text, safe="")
    return f"/api/v2/users?payload={encoded}"


def names_of(reply):
    return sorted(u.get("name", "") for u in reply["users"])


def ids_of(reply):
    return sorted(u["id"] for u in reply["users"])


def expect_ids(*expected):
    def verify(reply):
        assert ids_of(reply) == sorted(expected), f"query returned {ids_of(reply)}"
    return verify


def expect_names_containing(text):
    def verify(reply):
        names = names_of(reply)
        assert all(text in name for name in names), f"{text!r} matched {names}"
    return verify


def expect_ids_within(allowed):
    def verify(reply):
        extra = set(ids_of(reply)) - set(allowed)
        assert not extra, f"query returned users outside {sorted(allowed)[:5]}: {sorted(extra)}"
    return verify


def nested_array(depth):
    return "[" * depth + "]" * depth


def gzip_bomb(decompressed_mib):
    """Return gzip data that inflates to `decompressed_mib` MiB of zeros (about 1000:1)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"0" * MIB
    parts = [compressor.compress(block) for _ in range(decompressed_mib)]
    parts.append(compressor.flush())
    return b"".join(parts)


def body_cases():
    big_name = {"id": "big", "name": "x" * (2 * MIB)}
    deep = '{"users":{"deep":{"id":"deep","custom":{"x":' + nested_array(100_000) + "}}}}"
    deep_objects = '{"users":{"deep":{"id":"deep","custom":' + '{"a":' * 50_000
    deep_objects += "1" + "}" * 50_000 + "}}}"
    many_keys = {"id": "manykeys", "custom": {f"k{i}": 0 for i in range(80_000)}}
    # serde_json, like many JSON parsers, stops at 128 levels; 100 plus the envelope fits.
    nested_ok = '{"users":{"nested":{"id":"nested","custom":{"x":' + nested_array(100) + "}}}}"
    return [
        Case("body over 1 MiB", "POST", "/api/v2/users", REJECT, users_body(big_name)),
        Case("deep array nesting", "POST", "/api/v2/users", REJECT, deep.encode()),
        Case("deep object nesting", "POST", "/api/v2/users", REJECT, deep_objects.encode()),
        Case("nesting depth 100", "POST", "/api/v2/users", ACCEPT, nested_ok.encode()),
        Case("80000 custom keys", "POST", "/api/v2/users", EITHER, users_body(many_keys),
             verify=lambda reply: assert_custom_size(reply, "manykeys", 80_000)),
        Case("number out of range", "POST", "/api/v2/users", REJECT,
             b'{"users":{"n":{"id":"n","custom":{"n":1e999}}}}'),
        Case("empty body", "POST", "/api/v2/users", REJECT, b""),
        Case("null body", "POST", "/api/v2/users", REJECT, b"null"),
        Case("array body", "POST", "/api/v2/users", REJECT, b"[]"),
        Case("users is a string", "POST", "/api/v2/users", REJECT, b'{"users":"x"}'),
        Case("user is a number", "POST", "/api/v2/users", REJECT, b'{"users":{"a":5}}'),
        Case("truncated json", "POST", "/api/v2/users", REJECT, b'{"users":{"a":{"id":"a"'),
        Case("101 users", "POST", "/api/v2/users", REJECT,
             users_body(*({"id": f"many-{i}"} for i in range(101)))),
        Case("101 ids to deactivate", "POST", "/api/v2/users/deactivate", REJECT,
             body_of({"user_ids": [f"many-{i}" for i in range(101)]})),
        Case("id of 256 characters", "POST", "/api/v2/users", REJECT,
             users_body({"id": "a" * 256})),
        Case("gzip bomb", "POST", "/api/v2/users", REJECT, lambda: gzip_bomb(512),
             headers={"Content-Encoding": "gzip"}),
        Case("partial update sets id", "PATCH", "/api/v2/users", REJECT,
             body_of({"users": [{"id": "alice", "set": {"id": "mallory"}}]})),
        Case("partial update unsets id", "PATCH", "/api/v2/users", REJECT,
             body_of({"users": [{"id": "alice", "unset": ["id"]}]})),
        Case("partial update unknown role", "PATCH", "/api/v2/users", REJECT,
             body_of({"users": [{"id": "alice", "set": {"role": "admin' --"}}]})),
    ]


def encoding_cases():
    return [
        Case("invalid utf-8 in body", "POST", "/api/v2/users", REJECT,
             b'{"users":{"a":{"id":"a","name":"\xff\xfe"}}}'),
        Case("lone surrogate escape", "POST", "/api/v2/users", EITHER,
             b'{"users":{"sur":{"id":"sur","name":"\\ud800"}}}'),
        Case("nul character in name", "POST", "/api/v2/users", ACCEPT,
             users_body({"id": "nul", "name": "a\u0000b"}),
             verify=lambda reply: assert_name(reply, "nul", "a\u0000b")),
        Case("invalid utf-8 in path id", "POST", "/api/v2/users/%FF%FE/deactivate", REJECT),
        Case("raw byte 0xff in path", "POST", b"/api/v2/users/\xff/deactivate", TRANSPORT),
        Case("invalid utf-8 in payload", "GET", "/api/v2/users?payload=%FF%FE", REJECT),
        Case("text/plain body", "POST", "/api/v2/users", EITHER,
             users_body({"id": "plain"}), content_type="text/plain"),
        Case("no content type", "POST", "/api/v2/users", EITHER,
             users_body({"id": "notype"}), content_type=None),
        Case("form body", "POST", "/api/v2/users", REJECT, b"users=a",
             content_type="application/x-www-form-urlencoded"),
        Case("multipart body", "POST", "/api/v2/users", REJECT,
             b"--x\r\nContent-Disposition: form-data; name=\"users\"\r\n\r\na\r\n--x--\r\n",
             content_type="multipart/form-data; boundary=x"),
        Case("utf-16 body", "POST", "/api/v2/users", REJECT,
             '{"users":{"u16":{"id":"u16"}}}'.encode("utf-16"),
             content_type="application/json; charset=utf-16"),
        Case("xml body", "POST", "/api/v2/users", REJECT,
             b"<users><user id='x'/></users>", content_type="application/xml"),
    ]


def assert_custom_size(reply, user_id, size):
    custom = reply["users"][user_id]["custom"]
    assert len(custom) == size, f"{user_id} came back with {len(custom)} custom fields"


def assert_name(reply, user_id, name):
    stored = reply["users"][user_id]
    assert stored.get("name") == name, f"stored {stored.get('name')!r} for {name!r}"


def traversal_and_injection_cases():
    cases = []
    for raw_id in ["..%2F..%2Fetc%2Fpasswd", "%2e%2e", "..", "....%2F%2F",
                   "..%2F_sandbox%2Freset", "a%27%20OR%20%271%27%3D%271", "a%22%3B--",
                   "%25", "a%00b"]:
        cases.append(Case(f"deactivate id {raw_id}", "POST",
                          f"/api/v2/users/{raw_id}/deactivate", REJECT))
        cases.append(Case(f"export id {raw_id}", "GET", f"/api/v2/users/{raw_id}/export", REJECT))
    for bad_id in ["../../etc/passwd", "a'; DROP TABLE users; --", "alice' OR '1'='1",
                   "a\"b", "a b", "/", "", "a\nb"]:
        cases.append(Case(f"upsert id {bad_id!r}", "POST", "/api/v2/users", REJECT,
                          users_body({"id": bad_id})))
        for operation in ["deactivate", "reactivate", "delete", "restore"]:
            cases.append(Case(f"{operation} ids [{bad_id!r}]", "POST",
                              f"/api/v2/users/{operation}", REJECT,
                              body_of({"user_ids": [bad_id]})))
    cases.append(Case("task id traversal", "GET", "/api/v2/tasks/..%2F..%2Fetc%2Fpasswd",
                      CLIENT_ERROR))
    cases.append(Case("task id injection", "GET", "/api/v2/tasks/x%27%20OR%201%3D1--",
                      CLIENT_ERROR))
    return cases


def filter_cases():
    def query(name, payload, expect, verify=None, raw=False):
        return Case(name, "GET", query_target(payload, raw), expect, content_type=None,
                    verify=verify)

    conditions = lambda filters: {"filter_conditions": filters, "limit": 100}
    # Repeated short ids keep the URI under the HTTP server's 64 KiB limit.
    many_ids = ["x"] * 10_000
    return [
        query("quote in $eq", conditions({"name": {"$eq": "' OR '1'='1"}}), EITHER,
              expect_ids()),
        query("name with a quote", conditions({"name": {"$eq": "O'Brien"}}), ACCEPT,
              expect_ids("quote")),
        query("percent autocomplete", conditions({"name": {"$autocomplete": "%"}}), EITHER,
              expect_names_containing("%")),
        query("underscore autocomplete", conditions({"name": {"$autocomplete": "_"}}), EITHER,
              expect_names_containing("_")),
        query("injection in $in", conditions({"id": {"$in": ["alice' --", "bob"]}}), EITHER,
              expect_ids_within({"bob"})),
        query("injection in field name",
              conditions({"tier') OR 1=1 --": {"$eq": 1}}), EITHER, expect_ids()),
        query("quote in field name", conditions({'tier"': {"$eq": 1}}), EITHER, expect_ids()),
        query("json path as field name", conditions({"$.tier": {"$eq": 1}}), EITHER,
              expect_ids()),
        query("bracket in field name", conditions({"tier[0]": {"$eq": 1}}), EITHER,
              expect_ids()),
        query("injection in sort field",
              {**conditions({}), "sort": [{"field": "name; DROP TABLE users", "direction": 1}]},
              EITHER),
        query("sort direction text",
              {**conditions({}), "sort": [{"field": "name", "direction": "asc"}]}, REJECT),
        query("six sort fields",
              {**conditions({}), "sort": [{"field": "name", "direction": 1}] * 6}, REJECT),
        query("unknown operator", conditions({"id": {"$where": "1"}}), REJECT),
        query("regex operator", conditions({"name": {"$regex": ".*"}}), REJECT),
        query("$in with a string", conditions({"id": {"$in": "alice"}}), REJECT),
        query("$or with a string", conditions({"$or": "x"}), REJECT),
        query("filter is a list", {"filter_conditions": [1, 2]}, REJECT),
        query("no filter_conditions", {"limit": 10}, REJECT),
        query("payload not json", "{", REJECT),
        query("limit above 100", conditions({}) | {"limit": 1_000_000}, REJECT),
        query("negative offset", conditions({}) | {"offset": -1}, REJECT),
        query("offset above 1000", conditions({}) | {"offset": 1001}, REJECT),
        query("fractional limit", conditions({}) | {"limit": 1.5}, REJECT),
        query("limit as text", conditions({}) | {"limit": "10"}, REJECT),
        query("10000 ids in $in", conditions({"id": {"$in": many_ids}}), EITHER,
              expect_ids(), raw=True),
        query("3000 conditions in $or",
              conditions({"$or": [{"id": f"o{i}"} for i in range(3_000)]}), EITHER,
              expect_ids(), raw=True),
        query("10000 conditions in $or",
              conditions({"$or": [{"id": "a"}] * 10_000}), TRANSPORT, raw=True),
        query("10000 conditions in $and",
              conditions({"$and": [{"name": {"$exists": True}}] * 10_000}), TRANSPORT,
              raw=True),
        query("$and nested 50 deep", nested_and_payload(50), ACCEPT, expect_ids("alice")),
        query("$and nested 3000 deep", nested_and_payload(3_000), REJECT, raw=True),
        query("query string of 1 MiB", {"filter_conditions": {}, "pad": "x" * MIB},
              TRANSPORT, raw=True),
    ]


def nested_and_payload(depth):
    """Return query text with `depth` nested `$and`s, built as text to avoid recursion."""
    filters = '{"$and":[' * depth + '{"id":"alice"}' + "]}" * depth
    return '{"filter_conditions":' + filters + ',"limit":100}'


def token_cases():
    def with_token(name, claims, expect, token=None):
        token = token or sign_token(claims)
        return Case(name, "GET", query_target({"filter_conditions": {"id": "alice"}}), expect,
                    content_type=None, headers={"Authorization": token})

    return [
        with_token("user token exp 1e300", {"user_id": "alice", "exp": 1e300},
                   ACCEPT_OR_CLIENT_ERROR),
        with_token("user token iat -1e300", {"user_id": "alice", "iat": -1e300},
                   ACCEPT_OR_CLIENT_ERROR),
        with_token("user token nbf text", {"user_id": "alice", "nbf": "soon"},
                   ACCEPT_OR_CLIENT_ERROR),
        with_token("user_id is an object", {"user_id": {"$ne": None}}, CLIENT_ERROR),
        with_token("user_id with injection", {"user_id": "alice' OR '1'='1"}, CLIENT_ERROR),
        with_token("token of 200 KiB", None, TRANSPORT, token="a" * 200 * 1024),
        with_token("token with byte 0xff", None, CLIENT_ERROR, token="a.b\xff.c"),
        Case("api_key with byte 0xff", "GET", query_target({"filter_conditions": {}}) +
             "&api_key=%FF", CLIENT_ERROR, content_type=None, with_key=False),
    ]
