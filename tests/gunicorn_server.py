"""A real gunicorn serving the app on a free port of 127.0.0.1, with gunicorn.conf.py, for the served tests."""
import os
import signal
import socket
import subprocess
import sys
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


@contextmanager
def gunicorn(database_url: str, secret_key: str, workers: int = 3, **settings):
    """(url, process) of gunicorn once its login page answers; settings are extra environment variables."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "FLASK_SECRET_KEY": secret_key,
           "ONESTOP_BIND": f"127.0.0.1:{port}", "ONESTOP_WORKERS": str(workers), "ONESTOP_ACCESS_LOG": "/dev/null",
           **settings}
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
                               env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/auth/login", timeout=5).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail("gunicorn did not start with gunicorn.conf.py")
    try:
        yield url, process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
