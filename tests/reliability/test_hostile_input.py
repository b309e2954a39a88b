"""Hostile input never gets a 5xx from the sandbox, never stops it, and never grows its memory.

One sandbox serves every case in order, so a case that corrupts state or leaks memory shows
up in the cases after it and in the final checks. The allowed responses of each case are in
hostile_cases.py.
"""

import json
import socket

import pytest

import hostile_cases as cases
from hostile_cases import FIXTURE_USERS, MIB, REJECT, TRANSPORT, Case
from raw_http import chunked, exchange, request_head
from sandbox_process import API_KEY, API_SECRET, Sandbox
from stream_api import SERVER_TOKEN, Client, custom_field

# Peak resident memory allowed over the whole module, in MiB. An idle debug build uses about
# 15 MiB, and 1 MiB bodies cost a few MiB each while parsed. A server that buffered the 512 MiB
# streamed body or inflated the gzip bomb would exceed this bound.
PEAK_RSS_LIMIT_MIB = 256

BODY_CHUNK = 256 * 1024
IDLE_CONNECTIONS = 200
OUTSIDE_FILE_TEXT = "text of a file outside the demo folder"

TABLE = [
    *cases.body_cases(),
    *cases.encoding_cases(),
    *cases.traversal_and_injection_cases(),
    *cases.filter_cases(),
    *cases.token_cases(),
]


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("hostile")
    demo = workdir / "demo"
    demo.mkdir()
    (demo / "index.html").write_text("<h1>demo</h1>")
    (workdir / "outside.txt").write_text(OUTSIDE_FILE_TEXT)

    process = Sandbox(
        workdir,
        extra_args=["--rate-limit", "100000000", "--demo-dir", str(demo)],
    ).start()
    client = Client(process.base_url)
    response = client.upsert_users(FIXTURE_USERS)
    client.close()
    assert response.status == 201, response.describe()
    yield process
    process.kill()


def target_with_key(target):
    if isinstance(target, str):
        target = target.encode("latin-1")
    separator = b"&" if b"?" in target else b"?"
    return target + separator + b"api_key=" + API_KEY.encode()


def send(sandbox, case):
    body = case.body() if callable(case.body) else case.body
    headers = {
        "Host": "127.0.0.1",
        "Authorization": SERVER_TOKEN,
        "stream-auth-type": "jwt",
        "Connection": "close",
        **case.headers,
    }
    if case.content_type is not None and body is not None:
        headers["Content-Type"] = case.content_type
    if body is not None or case.method in ("POST", "PATCH"):
        headers["Content-Length"] = str(len(body or b""))
    target = target_with_key(case.target) if case.with_key else case.target
    chunks = [body[i:i + BODY_CHUNK] for i in range(0, len(body or b""), BODY_CHUNK)]
    return exchange(sandbox.base_url, request_head(case.method, target, headers), chunks)


def check_answer(case, status, data):
    """Check the status and body of a response against the case's expectation."""
    text = data[:300].decode("utf-8", "replace")
    assert status < 500, f"{case.name}: HTTP {status}: {text}"
    expect = case.expect
    if expect.success_required:
        assert 200 <= status < 300, f"{case.name}: valid input rejected with HTTP {status}: {text}"
    if 200 <= status < 300:
        assert expect.success_allowed, f"{case.name}: accepted with HTTP {status}: {text}"
        if case.verify is not None:
            case.verify(json.loads(data))
        return

    assert 400 <= status < 500, f"{case.name}: HTTP {status}: {text}"
    if expect.error_body == "any":
        return
    try:
        envelope = json.loads(data)
    except ValueError:
        pytest.fail(f"{case.name}: HTTP {status} without Stream's error envelope: {text!r}")
    assert isinstance(envelope, dict), f"{case.name}: {text}"
    assert isinstance(envelope.get("code"), int), f"{case.name}: no numeric code: {text}"
    assert envelope.get("StatusCode") == status, f"{case.name}: {text}"
    if expect.error_body == "code4" and status != 413:
        assert envelope["code"] == 4, f"{case.name}: HTTP {status} with code: {text}"


def check_still_healthy(sandbox, case_name):
    assert sandbox.is_running(), f"the sandbox exited after {case_name}"
    health = Client(sandbox.base_url)
    try:
        response = health.send("GET", "/_sandbox/health")
    finally:
        health.close()
    assert response.status == 200, f"health check after {case_name}: {response.describe()}"
    _, peak_kib = sandbox.memory_kib()
    assert peak_kib < PEAK_RSS_LIMIT_MIB * 1024, (
        f"peak RSS reached {peak_kib // 1024} MiB by {case_name}"
    )


@pytest.mark.parametrize("case", TABLE, ids=[case.name for case in TABLE])
def test_hostile_request(sandbox, case):
    response = send(sandbox, case)
    check_answer(case, response.status, response.data)
    check_still_healthy(sandbox, case.name)


def test_streamed_512_mib_body(sandbox):
    head = request_head("POST", target_with_key("/api/v2/users"), {
        "Host": "127.0.0.1",
        "Authorization": SERVER_TOKEN,
        "stream-auth-type": "jwt",
        "Content-Type": "application/json",
        "Transfer-Encoding": "chunked",
    })
    block = b'{"users":{' + b" " * (MIB - 10)
    response = exchange(sandbox.base_url, head, chunked(block for _ in range(512)))

    check_answer(Case("streamed body", "POST", "", REJECT), response.status, response.data)
    assert response.status == 413
    assert response.sent_bytes < 64 * MIB, "the sandbox read far past its 1 MiB body limit"
    check_still_healthy(sandbox, "streamed body")


def test_content_length_beyond_limit(sandbox):
    head = request_head("POST", target_with_key("/api/v2/users"), {
        "Host": "127.0.0.1",
        "Authorization": SERVER_TOKEN,
        "stream-auth-type": "jwt",
        "Content-Type": "application/json",
        "Content-Length": str(10**12),
    })
    response = exchange(sandbox.base_url, head, [b"{}"])

    check_answer(Case("content length 10^12", "POST", "", REJECT), response.status, response.data)
    assert response.status == 413
    check_still_healthy(sandbox, "content length 10^12")


def test_content_length_not_a_number(sandbox):
    head = request_head("POST", target_with_key("/api/v2/users"), {
        "Host": "127.0.0.1",
        "Content-Type": "application/json",
        "Content-Length": "abc",
    })
    response = exchange(sandbox.base_url, head, [b"{}"])

    check_answer(Case("content length abc", "POST", "", TRANSPORT), response.status, response.data)
    check_still_healthy(sandbox, "content length abc")


def test_request_id_with_invalid_utf8(sandbox):
    case = Case("request id 0xff", "POST", "/api/v2/users", cases.EITHER,
                cases.users_body({"id": "reqid"}), headers={"x-client-request-id": "r\xff\xfe"})
    response = send(sandbox, case)
    check_answer(case, response.status, response.data)

    log = Client(sandbox.base_url)
    try:
        response = log.send("GET", "/_sandbox/requests",
                            headers={"Authorization": f"Bearer {API_SECRET}"})
    finally:
        log.close()
    assert response.status == 200, response.describe()
    assert isinstance(response.json()["requests"], list)
    check_still_healthy(sandbox, case.name)


def test_idle_half_open_connections(sandbox):
    """Connections that send half a request head do not stop the sandbox serving others."""
    host, port = sandbox.base_url.removeprefix("http://").split(":")
    idle = []
    try:
        for _ in range(IDLE_CONNECTIONS):
            connection = socket.create_connection((host, int(port)), 10)
            connection.sendall(b"POST /api/v2/users HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            idle.append(connection)
        check_still_healthy(sandbox, f"{IDLE_CONNECTIONS} idle connections")
    finally:
        for connection in idle:
            connection.close()


@pytest.mark.parametrize("path", [
    b"/demo/../outside.txt",
    b"/demo/..%2foutside.txt",
    b"/demo/%2e%2e/outside.txt",
    b"/demo/%2e%2e%2foutside.txt",
    b"/demo/..%5coutside.txt",
    b"/demo//etc/passwd",
    b"/demo/%2fetc%2fpasswd",
])
def test_demo_folder_traversal(sandbox, path):
    head = request_head("GET", path, {"Host": "127.0.0.1", "Connection": "close"})
    response = exchange(sandbox.base_url, head)

    assert response.status < 500, f"{path!r}: HTTP {response.status}"
    assert OUTSIDE_FILE_TEXT.encode() not in response.data, f"{path!r} served outside.txt"
    assert b"root:" not in response.data, f"{path!r} served /etc/passwd"
    check_still_healthy(sandbox, repr(path))


def test_demo_folder_serves_its_files(sandbox):
    head = request_head("GET", b"/demo/index.html", {"Host": "127.0.0.1", "Connection": "close"})
    response = exchange(sandbox.base_url, head)

    assert response.status == 200
    assert b"<h1>demo</h1>" in response.data


@pytest.mark.parametrize("fault", [
    {"status": 200},
    {"status": 503, "count": -1},
    {"status": "503"},
    {"status": 503, "count": 1.5},
    {"delay_ms": -5},
    {"status": 429, "reset_in_secs": -1},
    {"status": 503, "method": "FETCH"},
    [],
])
def test_invalid_fault_rejected(sandbox, fault):
    control = Client(sandbox.base_url)
    auth = {"Authorization": f"Bearer {API_SECRET}", "Content-Type": "application/json"}
    try:
        response = control.send("POST", "/_sandbox/faults", json.dumps(fault).encode(), auth)
        pending = control.send("GET", "/_sandbox/faults", headers=auth)
        control.send("DELETE", "/_sandbox/faults", headers=auth)
    finally:
        control.close()

    check_answer(Case(f"fault {fault}", "POST", "", REJECT), response.status, response.body)
    assert pending.json()["faults"] == [], f"{fault} was stored: {pending.describe()}"
    check_still_healthy(sandbox, f"fault {fault}")


def test_fixture_users_intact(sandbox):
    """Runs last: no earlier request dropped, changed or deleted the fixture users."""
    client = Client(sandbox.base_url)
    try:
        stored = client.users_by_id([u["id"] for u in FIXTURE_USERS], include_deactivated=False)
    finally:
        client.close()
    for user in FIXTURE_USERS:
        found = stored.get(user["id"])
        assert found is not None, f"{user['id']} is gone or deactivated"
        assert found.get("name") == user["name"], found
        assert custom_field(found, "tier") == user["custom"]["tier"], found
        assert found.get("deleted_at") is None, found
    sandbox.assert_no_panic()
