"""Fixtures that start the real stream-sandbox binary for the reliability tests."""

import pytest

from sandbox_process import Sandbox
from stream_api import Client

# Requests per endpoint per minute. The bursts here send tens of thousands of requests, and
# the default limit of 1000 would turn most of them into 429s.
UNLIMITED_RATE = "100000000"


@pytest.fixture
def start_sandbox(tmp_path):
    """Return a function that starts a sandbox; every one started is stopped afterwards."""
    started = []

    def start(db=":memory:", **options):
        args = ["--rate-limit", UNLIMITED_RATE, *options.pop("extra_args", ())]
        sandbox = Sandbox(tmp_path, db=db, extra_args=args, **options)
        started.append(sandbox)
        return sandbox.start()

    yield start
    for sandbox in started:
        sandbox.kill()


@pytest.fixture
def client_for():
    """Return a function that opens a client to a sandbox; all are closed afterwards."""
    clients = []

    def open_client(sandbox, **kwargs):
        client = Client(sandbox.base_url, **kwargs)
        clients.append(client)
        return client

    yield open_client
    for client in clients:
        client.close()
