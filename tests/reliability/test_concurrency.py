"""Concurrent partial updates of shared users lose no update.

Sixteen clients update the same users at once. Client `c` only ever sets its own custom field
`counter_c`, to 1, 2, ... N in order, so whatever the interleaving, the sequential outcome is
`counter_c == N` for every client on every shared user. A sandbox that rewrites a user from a
stale read (read, modify, write without isolation) drops other clients' fields and fails.
Every tenth step a client also creates a user of its own, and all of those must exist.

`make test` runs N = 500 updates per client (8,000 requests of 4 users each, about 10 s on
2 cores). `make fuzz` runs 5,000 per client (80,000 requests, about 100 s) through
RELIABILITY_UPDATES_PER_CLIENT.
"""

import os
import threading

from stream_api import Client, custom_field

CLIENTS = 16
UPDATES_PER_CLIENT = int(os.environ.get("RELIABILITY_UPDATES_PER_CLIENT", "500"))
SHARED_IDS = [f"shared-{i}" for i in range(4)]
CREATE_EVERY = 10


class UpdatingClient(threading.Thread):
    """Sets its own counter on every shared user, step by step, checking each response."""

    def __init__(self, base_url, index, start_together):
        super().__init__(daemon=True)
        self.client = Client(base_url)
        self.index = index
        self.field = f"counter_{index}"
        self.start_together = start_together
        self.created = []
        self.failures = []

    def run(self):
        try:
            self.start_together.wait()
            for step in range(1, UPDATES_PER_CLIENT + 1):
                if not self.update(step):
                    return
                if step % CREATE_EVERY == 0 and not self.create(step):
                    return
        except Exception as error:  # noqa: BLE001 - reported by the test thread
            self.failures.append(f"client {self.index}: {error!r}")
        finally:
            self.client.close()

    def update(self, step):
        updates = [{"id": user_id, "set": {self.field: step}} for user_id in SHARED_IDS]
        response = self.client.update_users_partial(updates)
        if response.status != 200:
            self.failures.append(f"client {self.index} step {step}: {response.describe()}")
            return False
        users = response.json()["users"]
        for user_id in SHARED_IDS:
            value = custom_field(users[user_id], self.field)
            if value != step:
                self.failures.append(
                    f"client {self.index} step {step}: the response shows "
                    f"{self.field}={value} on {user_id}"
                )
                return False
        return True

    def create(self, step):
        user = {"id": f"created-{self.index}-{step}", "custom": {"step": step}}
        response = self.client.upsert_users([user])
        if response.status != 201:
            self.failures.append(f"client {self.index} create {step}: {response.describe()}")
            return False
        self.created.append(user["id"])
        return True


def test_concurrent_partial_updates_lose_nothing(start_sandbox, client_for, tmp_path):
    # A file database, as developers run it, so that SQLite's locking is part of the test.
    sandbox = start_sandbox(db=tmp_path / "concurrency.db")
    setup = client_for(sandbox)
    seed = [{"id": user_id, "name": f"Shared {user_id}", "custom": {"origin": "seed"}}
            for user_id in SHARED_IDS]
    response = setup.upsert_users(seed)
    assert response.status == 201, response.describe()

    start_together = threading.Barrier(CLIENTS)
    clients = [UpdatingClient(sandbox.base_url, i, start_together) for i in range(CLIENTS)]
    for client in clients:
        client.start()
    for client in clients:
        client.join()

    failures = [f for c in clients for f in c.failures]
    assert failures == [], f"{len(failures)} failures, first ones: {failures[:5]}"

    stored = setup.users_by_id(SHARED_IDS)
    for user_id in SHARED_IDS:
        user = stored[user_id]
        assert user["name"] == f"Shared {user_id}", f"{user_id}: {user}"
        assert custom_field(user, "origin") == "seed", f"{user_id}: {user}"
        counters = {c.field: custom_field(user, c.field) for c in clients}
        expected = {c.field: UPDATES_PER_CLIENT for c in clients}
        assert counters == expected, f"lost updates on {user_id}"

    created = [user_id for c in clients for user_id in c.created]
    assert len(created) == CLIENTS * (UPDATES_PER_CLIENT // CREATE_EVERY)
    found = setup.users_by_id(created)
    missing = sorted(set(created) - set(found))
    assert missing == [], f"{len(missing)} created users are missing, e.g. {missing[:5]}"

    sandbox.stop()
    sandbox.assert_no_panic()
