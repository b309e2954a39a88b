"""An acknowledged task survives `kill -9` of the sandbox and completes after the restart.

Deleting and bulk-deactivating users runs as a task: the sandbox returns a `task_id` at once
and applies the change later. A task acknowledged just before a crash must still exist
after a restart on the same file, end as `completed`, and leave the change it promised.
"""

import time

import pytest

from stream_api import Client

USER_IDS = [f"task-user-{i}" for i in range(10)]
# A delay long enough that the kill lands while the task is still pending.
TASK_DELAY_MS = 500
# Upper bound on polls of GET /api/v2/tasks/{id} after the restart, so that a task that never
# ends fails the test instead of hanging it.
MAX_POLLS = 600
POLL_INTERVAL_S = 0.05


def wait_for_task(client, task_id):
    """Poll the task until it ends and return its last state."""
    for _ in range(MAX_POLLS):
        response = client.call("GET", f"/api/v2/tasks/{task_id}")
        assert response.status == 200, f"task {task_id} after restart: {response.describe()}"
        task = response.json()
        if task["status"] in ("completed", "failed"):
            return task
        time.sleep(POLL_INTERVAL_S)
    pytest.fail(f"task {task_id} still {task['status']} after {MAX_POLLS} polls")


@pytest.mark.parametrize(
    "path, body, check",
    [
        (
            "/api/v2/users/delete",
            {"user_ids": USER_IDS, "user": "hard"},
            lambda stored: stored == {},
        ),
        (
            "/api/v2/users/deactivate",
            {"user_ids": USER_IDS},
            lambda stored: sorted(stored) == USER_IDS
            and all(user.get("deactivated_at") for user in stored.values()),
        ),
    ],
    ids=["hard delete", "bulk deactivate"],
)
def test_pending_task_survives_kill(start_sandbox, client_for, tmp_path, path, body, check):
    db_path = tmp_path / "tasks.db"
    sandbox = start_sandbox(db=db_path, task_delay_ms=TASK_DELAY_MS)
    client = client_for(sandbox)
    response = client.upsert_users([{"id": user_id} for user_id in USER_IDS])
    assert response.status == 201, response.describe()

    response = client.call("POST", path, body)
    assert response.status == 201, response.describe()
    task_id = response.json()["task_id"]
    sandbox.kill()

    sandbox.start()
    client = client_for(sandbox)
    task = wait_for_task(client, task_id)
    assert task["status"] == "completed", f"task ended as {task}"
    stored = client.users_by_id(USER_IDS)
    assert check(stored), f"after task {task_id}: {stored}"
    sandbox.stop()
    sandbox.assert_no_panic()
