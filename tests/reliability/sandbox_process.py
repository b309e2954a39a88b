"""Start, stop and kill the real stream-sandbox binary, and read its memory use from /proc."""

import itertools
import os
import re
import signal
import subprocess
import threading
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BINARY = REPO_ROOT / "target" / "debug" / "stream-sandbox"
LISTENING = re.compile(r"listening on (http://\S+)")

API_KEY = "reliability-key"
API_SECRET = "reliability-secret-0123456789"

# Seconds to wait for the first stdout line. Start-up takes milliseconds; the bound only keeps
# a broken binary from hanging the suite.
START_TIMEOUT_S = 60
STOP_TIMEOUT_S = 20


def binary_path():
    """Return the sandbox binary: `STREAM_SANDBOX_BIN`, else the debug build in target/."""
    path = Path(os.environ.get("STREAM_SANDBOX_BIN", DEFAULT_BINARY))
    if not path.is_file():
        raise FileNotFoundError(
            f"sandbox binary {path} is missing: run `cargo build -p stream-sandbox`"
        )
    return path


class Sandbox:
    """One stream-sandbox process, with its stderr (the request log) kept in a file."""

    _numbers = itertools.count(1)

    def __init__(self, workdir, db=":memory:", task_delay_ms=20, extra_args=()):
        self.workdir = Path(workdir)
        self.db = str(db)
        self.task_delay_ms = task_delay_ms
        self.extra_args = list(extra_args)
        self.process = None
        self.base_url = None
        self.number = next(Sandbox._numbers)
        self.starts = 0
        self.stderr_paths = []

    def start(self):
        """Spawn the binary on a free port and wait until it prints its URL."""
        self.starts += 1
        stderr_path = self.workdir / f"sandbox-{self.number}-run-{self.starts}.log"
        args = [
            str(binary_path()),
            "--port", "0",
            "--db", self.db,
            "--api-key", API_KEY,
            "--api-secret", API_SECRET,
            "--task-delay-ms", str(self.task_delay_ms),
            *self.extra_args,
        ]
        with open(stderr_path, "wb") as stderr:
            self.process = subprocess.Popen(
                args,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=stderr,
                cwd=self.workdir,
            )
        self.stderr_paths.append(stderr_path)
        first_line = self._read_first_line()
        match = LISTENING.search(first_line)
        if match is None:
            self.kill()
            raise RuntimeError(
                f"first sandbox stdout line does not match {LISTENING.pattern!r}: "
                f"{first_line!r}\nstderr:\n{self.stderr_tail()}"
            )
        self.base_url = match.group(1)
        return self

    def _read_first_line(self):
        lines = []
        first_line_read = threading.Event()

        def read():
            lines.append(self.process.stdout.readline().decode("utf-8", "replace"))
            first_line_read.set()
            # Keep draining so the sandbox never blocks on a full stdout pipe.
            for _ in self.process.stdout:
                pass

        threading.Thread(target=read, daemon=True).start()
        first_line_read.wait(START_TIMEOUT_S)
        if not lines or not lines[0]:
            code = self.process.poll()
            self.kill()
            problem = (
                f"exited with code {code}" if code is not None
                else f"printed nothing within {START_TIMEOUT_S} s"
            )
            raise RuntimeError(
                f"sandbox {problem} before printing its URL\nstderr:\n{self.stderr_tail()}"
            )
        return lines[0]

    @property
    def pid(self):
        return self.process.pid

    def is_running(self):
        return self.process is not None and self.process.poll() is None

    def stop(self):
        """Stop with SIGTERM, as a developer's Ctrl-C would, and return the exit code."""
        if not self.is_running():
            return self.process.returncode if self.process else None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise RuntimeError(f"sandbox ignored SIGTERM for {STOP_TIMEOUT_S} s")

    def kill(self):
        """Kill with SIGKILL, which gives the process no chance to flush anything."""
        if self.is_running():
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def memory_kib(self):
        """Return the current (VmRSS) and peak (VmHWM) resident set size in KiB."""
        fields = {}
        with open(f"/proc/{self.pid}/status") as status:
            for line in status:
                name, _, value = line.partition(":")
                if name in ("VmRSS", "VmHWM"):
                    fields[name] = int(value.split()[0])
        return fields["VmRSS"], fields["VmHWM"]

    def assert_no_panic(self):
        """Fail when the log of any run of this sandbox shows a Rust panic."""
        for path in self.stderr_paths:
            log = path.read_text(encoding="utf-8", errors="replace")
            index = log.find("panicked at")
            assert index < 0, f"the sandbox panicked ({path.name}):\n{log[index:index + 2000]}"

    def stderr_text(self):
        """Return the log of the latest run."""
        return self.stderr_paths[-1].read_text(encoding="utf-8", errors="replace")

    def stderr_tail(self, chars=4000):
        try:
            return self.stderr_text()[-chars:]
        except (AttributeError, OSError):
            return "<no stderr>"
