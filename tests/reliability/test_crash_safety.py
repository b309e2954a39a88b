"""Acknowledged writes survive `kill -9` of the sandbox, and the database stays intact.

Writer threads send upserts of new users and partial updates of one shared user, and record
every write the sandbox acknowledged (2xx). The sandbox is killed with SIGKILL in the middle of
the burst and restarted on the same file. Every acknowledged write must then be readable.
SQLite's `PRAGMA integrity_check` must return `ok` on the files the crash left and again after
a clean stop.

NOTE: SIGKILL ends the process but keeps the operating system's page cache, so this proves
that the sandbox commits before it answers, not that it survives a power cut.
"""

import http.client
import os
import shutil
import sqlite3
import threading
import time

from stream_api import Client, custom_field

WRITERS = int(os.environ.get("RELIABILITY_CRASH_WRITERS", "4"))
# Acknowledged writes per round before the kill, counted over all writers.
ACKS_BEFORE_KILL = int(os.environ.get("RELIABILITY_CRASH_ACKS", "1500"))
ROUNDS = 3
SHARED_ID = "crash-shared"
# Upper bound on the wait for ACKS_BEFORE_KILL acknowledgements, so that a stalled sandbox
# fails the test instead of hanging it. It bounds a hang; it is not a speed requirement.
BURST_GUARD_S = 300


class Writer(threading.Thread):
    """Sends upserts and partial updates until the connection fails, recording each outcome."""

    def __init__(self, base_url, round_number, index, stop):
        super().__init__(daemon=True)
        self.client = Client(base_url)
        self.round_number = round_number
        self.index = index
        self.stop = stop
        self.acked_users = {}
        self.unacked_users = {}
        self.counter_field = f"r{round_number}_w{index}"
        self.last_acked_counter = None
        self.last_sent_counter = None
        self.rejections = []
        self.acks = 0

    def run(self):
        try:
            self._write_until_stopped()
        finally:
            self.client.close()

    def _write_until_stopped(self):
        sequence = 0
        while not self.stop.is_set():
            user = {
                "id": f"crash-r{self.round_number}-w{self.index}-{sequence}",
                "name": f"writer {self.index} item {sequence}",
                "custom": {"seq": sequence, "writer": self.index},
            }
            try:
                response = self.client.upsert_users([user])
            except (OSError, http.client.HTTPException):
                self.unacked_users[user["id"]] = user
                return
            if response.status != 201:
                self.rejections.append(f"upsert {user['id']}: {response.describe()}")
                return
            self.acked_users[user["id"]] = user
            self.acks += 1

            update = {"id": SHARED_ID, "set": {self.counter_field: sequence}}
            self.last_sent_counter = sequence
            try:
                response = self.client.update_users_partial([update])
            except (OSError, http.client.HTTPException):
                return
            if response.status != 200:
                self.rejections.append(f"partial update {update}: {response.describe()}")
                return
            self.last_acked_counter = sequence
            self.acks += 1
            sequence += 1


def run_burst_and_kill(sandbox, round_number):
    """Run writers until ACKS_BEFORE_KILL writes are acknowledged, then SIGKILL the sandbox."""
    stop = threading.Event()
    writers = [Writer(sandbox.base_url, round_number, i, stop) for i in range(WRITERS)]
    for writer in writers:
        writer.start()

    deadline = time.monotonic() + BURST_GUARD_S
    while sum(w.acks for w in writers) < ACKS_BEFORE_KILL:
        if not any(w.is_alive() for w in writers) or time.monotonic() > deadline:
            break
        time.sleep(0.005)

    sandbox.kill()
    stop.set()
    for writer in writers:
        writer.join()

    rejections = [r for w in writers for r in w.rejections]
    assert rejections == [], f"the sandbox rejected writes during the burst: {rejections[:5]}"
    acked = sum(w.acks for w in writers)
    assert acked >= ACKS_BEFORE_KILL, (
        f"only {acked} writes were acknowledged before the kill "
        f"(waited up to {BURST_GUARD_S} s)"
    )
    # The kill must land in the middle of the burst, with writes still unanswered.
    in_flight = sum(
        len(w.unacked_users) + (w.last_sent_counter != w.last_acked_counter) for w in writers
    )
    assert in_flight > 0, "no write was in flight when the sandbox was killed"
    return writers


def check_writes_present(client, writers):
    """Check every acknowledged write, and that unacknowledged upserts are all-or-nothing."""
    expected = {}
    unacked = {}
    for writer in writers:
        expected.update(writer.acked_users)
        unacked.update(writer.unacked_users)
    stored = client.users_by_id([*expected, *unacked, SHARED_ID])

    missing = sorted(set(expected) - set(stored))
    assert missing == [], f"{len(missing)} acknowledged upserts were lost, e.g. {missing[:5]}"
    for user_id, user in {**expected, **unacked}.items():
        if user_id not in stored:
            continue
        found = stored[user_id]
        assert found.get("name") == user["name"], f"user {user_id} came back as {found}"
        assert custom_field(found, "seq") == user["custom"]["seq"], f"{user_id}: {found}"
        assert custom_field(found, "writer") == user["custom"]["writer"], f"{user_id}: {found}"

    assert SHARED_ID in stored, "the shared user written before the burst was lost"
    shared = stored[SHARED_ID]
    for writer in writers:
        if writer.last_acked_counter is None:
            continue
        value = custom_field(shared, writer.counter_field)
        # The value is the last acknowledged one, or the one in flight at the kill.
        assert value is not None, f"{writer.counter_field} lost from {shared}"
        assert writer.last_acked_counter <= value <= writer.last_sent_counter, (
            f"{writer.counter_field} is {value}, but {writer.last_acked_counter} was "
            f"acknowledged and {writer.last_sent_counter} was the last one sent"
        )


def integrity_check(db_path):
    connection = sqlite3.connect(db_path)
    try:
        return connection.execute("PRAGMA integrity_check").fetchall()
    finally:
        connection.close()


def copy_crash_files(db_path, folder):
    """Copy the database and its write-ahead log as the kill left them."""
    folder.mkdir()
    copy = folder / db_path.name
    for suffix in ("", "-wal"):
        source = db_path.with_name(db_path.name + suffix)
        if source.exists():
            shutil.copyfile(source, copy.with_name(copy.name + suffix))
    return copy


def test_acknowledged_writes_survive_kill(start_sandbox, client_for, tmp_path):
    db_path = tmp_path / "crash.db"
    sandbox = start_sandbox(db=db_path)
    response = client_for(sandbox).upsert_users([{"id": SHARED_ID, "name": "shared"}])
    assert response.status == 201, response.describe()

    all_writers = []
    for round_number in range(1, ROUNDS + 1):
        writers = run_burst_and_kill(sandbox, round_number)
        all_writers.extend(writers)

        crash_copy = copy_crash_files(db_path, tmp_path / f"after-kill-{round_number}")
        assert integrity_check(crash_copy) == [("ok",)]

        sandbox.start()
        check_writes_present(client_for(sandbox), all_writers)

    assert sandbox.stop() == 0
    sandbox.assert_no_panic()
    assert integrity_check(db_path) == [("ok",)]


def test_database_uses_write_ahead_log(start_sandbox, client_for, tmp_path):
    db_path = tmp_path / "wal.db"
    sandbox = start_sandbox(db=db_path)
    response = client_for(sandbox).upsert_users([{"id": "wal-user"}])
    assert response.status == 201, response.describe()
    sandbox.stop()

    # WAL mode is stored in the database header, so a new connection reports it.
    connection = sqlite3.connect(db_path)
    try:
        (mode,) = connection.execute("PRAGMA journal_mode").fetchone()
    finally:
        connection.close()
    assert mode == "wal"


def test_sigterm_stops_and_keeps_data(start_sandbox, client_for, tmp_path):
    db_path = tmp_path / "sigterm.db"
    sandbox = start_sandbox(db=db_path)
    response = client_for(sandbox).upsert_users([{"id": "kept-user", "name": "Kept"}])
    assert response.status == 201, response.describe()

    assert sandbox.stop() == 0

    sandbox.start()
    stored = client_for(sandbox).users_by_id(["kept-user"])
    assert stored["kept-user"]["name"] == "Kept"
    sandbox.stop()
    sandbox.assert_no_panic()
    assert integrity_check(db_path) == [("ok",)]
