"""schemathesis generates requests from Stream's OpenAPI file and checks the sandbox's responses.

The checks are `not_a_server_error` (no 5xx) and `response_schema_conformance` (every response
with a documented status matches its schema, error envelopes included). Requests carry a
server token through the spec's own security schemes: the `api_key` query parameter, the
`Authorization` header and `stream-auth-type: jwt`.

schemathesis runs on an edited copy of the document (openapi_copy.py: string timestamps, as
Stream sends them, and hints that make more generated writes valid), with the hooks in
schemathesis_hooks.py.

`make test` runs SCHEMATHESIS_MAX_EXAMPLES (default 25) examples per operation with a fixed
seed; `make fuzz` sets SCHEMATHESIS_MAX_TIME to keep generating until that many seconds pass.
"""

import os
import subprocess
import sys
from pathlib import Path

import openapi_copy
from sandbox_process import API_KEY, REPO_ROOT
from stream_api import SERVER_TOKEN

SPEC = REPO_ROOT / "spec" / "openapi-users.json"
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
HOOKS = Path(__file__).with_name("schemathesis_hooks.py")
MAX_EXAMPLES = os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "25")
MAX_TIME_S = os.environ.get("SCHEMATHESIS_MAX_TIME")
SEED = os.environ.get("SCHEMATHESIS_SEED", "20240601")


def write_config(path):
    """Write a schemathesis.toml that authenticates through the spec's security schemes."""
    path.write_text(
        "[auth.openapi.api_key]\n"
        f'api_key = "{API_KEY}"\n'
        "[auth.openapi.JWT]\n"
        f'api_key = "{SERVER_TOKEN}"\n'
        '[auth.openapi."stream-auth-type"]\n'
        'api_key = "jwt"\n'
    )


def test_generated_requests_conform(start_sandbox, tmp_path):
    assert SCHEMATHESIS.is_file(), f"{SCHEMATHESIS} is missing: run `make test-reliability`"
    sandbox = start_sandbox()
    config = tmp_path / "schemathesis.toml"
    write_config(config)
    spec = tmp_path / "openapi-users.json"
    openapi_copy.write_copy(SPEC, spec)

    command = [
        str(SCHEMATHESIS),
        "--config-file", str(config),
        "run", str(spec),
        "--url", sandbox.base_url,
        "--checks", "not_a_server_error,response_schema_conformance",
        "--max-examples", MAX_EXAMPLES,
        "--seed", SEED,
        # NOTE: one worker, because CPython 3.11.7's ast module (used by hypothesis to describe
        # filters) raises a spurious "AST constructor recursion depth mismatch" SystemError
        # when threads parse at once (CPython gh-106905, fixed in 3.11.8 and 3.12.1).
        "--workers", "1",
        "--request-timeout", "30",
        "--report", "junit",
        "--report-dir", str(tmp_path / "report"),
    ]
    if MAX_TIME_S:
        command += ["--max-time", MAX_TIME_S]
    result = subprocess.run(
        command,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_HOOKS": str(HOOKS)},
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, f"schemathesis found problems:\n{output[-12000:]}"
    assert sandbox.is_running()
    sandbox.stop()
    sandbox.assert_no_panic()
