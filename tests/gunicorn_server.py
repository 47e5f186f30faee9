"""A real gunicorn serving the app on a free port of 127.0.0.1, with gunicorn.conf.py, for the served tests.

Used by every test that serves the app as production does (test_production, test_kiosk_served, test_queue's restart,
test_crash's power cut, test_two_servers); `wait_until` also waits for the other servers a test starts (Redis).
"""
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(answers, what: str, process, seconds: float = 30, log=None) -> None:
    """Return once `answers()` is true; fail the test (killing the process group) if it exits or never answers."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{what} exited with {process.returncode}{_tail(log)}")
        try:
            if answers():
                return
        except OSError:  # refused, reset or timed out while it boots
            pass
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    pytest.fail(f"{what} did not start within {seconds} s{_tail(log)}")


def _tail(log) -> str:
    if log is None:
        return ""
    log.seek(0)
    return "; its log ends:\n" + log.read().decode(errors="replace")[-2000:]


@contextmanager
def gunicorn(database_url: str, secret_key: str, workers: int = 3, **settings):
    """(url, process) of gunicorn once its login page answers; settings are extra environment variables.

    Its error log is kept in a temporary file and shown if it does not start; it is stopped (SIGTERM to the whole
    process group, then waited for) when the block ends, so `process.poll()` is its exit code afterwards.
    """
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "FLASK_SECRET_KEY": secret_key,
           "ONESTOP_BIND": f"127.0.0.1:{port}", "ONESTOP_WORKERS": str(workers), "ONESTOP_ACCESS_LOG": "/dev/null",
           **settings}
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
                                   env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=log)
        try:
            wait_until(lambda: urllib.request.urlopen(f"{url}/auth/login", timeout=5).close() is None,
                       f"gunicorn on port {port} (gunicorn.conf.py)", process, log=log)
            yield url, process
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
