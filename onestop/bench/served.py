"""What the benchmark measures through gunicorn: requests per second under wrk, and API intake.

gunicorn and wrk share the machine's cores, for the measured route and its baseline alike.
"""
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import sqlalchemy as sa

from ..models import Counter, Dossier

ROOT = Path(__file__).resolve().parents[2]

# wrk reports through this: requests, seconds, latency percentiles (µs) and failures.
REPORT = """
done = function(summary, latency, requests)
  local failed = summary.errors.connect + summary.errors.read + summary.errors.write
                 + summary.errors.status + summary.errors.timeout
  io.write(string.format("BENCH %d %d %d %d %d\\n", summary.requests, summary.duration,
                         latency:percentile(50), latency:percentile(95), failed))
end
"""


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def intake_numbers(url: str, agency_id: int, day) -> dict:
    """The dossier numbers issued on `day` at the agency, the day's code counter, and the agency's dossier count."""
    engine = sa.create_engine(url)
    try:
        with sa.orm.Session(engine) as session:
            codes = session.scalars(sa.select(Dossier.code).where(Dossier.agency_id == agency_id,
                                                                  Dossier.received_on == day)).all()
            counter = session.scalar(sa.select(Counter.last_number).where(
                Counter.agency_id == agency_id, Counter.key == f"code:{day}")) or 0
            count = session.scalar(sa.select(sa.func.count(Dossier.id)).where(Dossier.agency_id == agency_id))
    finally:
        engine.dispose()
    return {"numbers": sorted(int(code.rsplit("-", 1)[1]) for code in codes), "counter": counter, "count": count}


def intake_tally(before: dict, after: dict, answered: int, failed: int, in_flight: int) -> tuple[int, bool, bool]:
    """(made, whole, sound) of intakes between two `intake_numbers`: whole when the day's numbers run 1..n
    without a gap and equal the counter (so codes are unique); sound when also nothing failed and the dossiers
    made are the 201s answered plus at most `in_flight` (wrk stops counting at each slice's deadline:
    requests still in flight then were saved but not counted)."""
    made = after["count"] - before["count"]
    numbers = after["numbers"]
    whole = numbers == list(range(1, len(numbers) + 1)) and after["counter"] == len(numbers)
    return made, whole, whole and answered <= made <= answered + in_flight and failed == 0


def wrk_missing() -> str | None:
    """Why the served measurements cannot run here, or None."""
    return None if shutil.which("wrk") else "wrk is not installed (apt-get install wrk)"


class Gunicorn:
    """gunicorn serving the benchmark app on the benchmark's database, in its own process group."""

    def __init__(self, database_url: str, now: str, workers: int = 2, env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "DATABASE_URL": database_url, "FLASK_SECRET_KEY": "bench-key-of-at-least-32-bytes-long",
               "FLASK_RATELIMIT_ENABLED": "false", "FLASK_NOW": now, **(env or {})}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{self.port}",
             "--log-level", "warning", "onestop.bench.wsgi:app"],
            cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/_bench/bare", timeout=5).close()
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def wrk(url: str, script: str, seconds: float, connections: int = 8, timeout: float | None = None) -> dict:
    """One wrk run: {'rate', 'p50_ms', 'p95_ms', 'requests', 'failed'}; `timeout`: seconds before wrk counts
    a request as failed (its default is 2)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script + REPORT)
    try:
        waits = ["--timeout", f"{timeout:g}s"] if timeout else []
        done = subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", f"{max(1, round(seconds))}s", *waits,
                               "-s", lua.name, url], capture_output=True, text=True,
                              timeout=seconds + 60 + (timeout or 0), check=True)
    finally:
        os.unlink(lua.name)
    line = next((line for line in done.stdout.splitlines() if line.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no report:\n{done.stdout}\n{done.stderr}")
    requests, micros, p50, p95, failed = map(int, line.split()[1:])
    return {"rate": requests / (micros / 1e6), "p50_ms": round(p50 / 1000, 3), "p95_ms": round(p95 / 1000, 3),
            "requests": requests, "failed": failed, "seconds": micros / 1e6}


def wrk_turn_about(url: str, scripts: dict[str, str], seconds: float, turns: int) -> dict[str, dict]:
    """Each script for `seconds` in all, run in `turns` slices turn about, so that a drift of the
    machine's speed hits them alike (as `timing.interleaved` does in-process); latencies are the
    median of the slices'."""
    return wrk_turns({name: (url, script) for name, script in scripts.items()}, seconds, turns)


def wrk_turns(runs: dict[str, tuple[str, str]], seconds: float, turns: int, timeout: float | None = None) -> dict[str, dict]:
    """As `wrk_turn_about`, each run with a server of its own: {name: (url, script)}."""
    slices: dict[str, list[dict]] = {name: [] for name in runs}
    for _ in range(turns):
        for name, (url, script) in runs.items():
            slices[name].append(wrk(url, script, seconds / turns, timeout=timeout))
    merged = {}
    for name, done in slices.items():
        requests, spent = sum(run["requests"] for run in done), sum(run["seconds"] for run in done)
        merged[name] = {"rate": requests / spent, "requests": requests, "seconds": spent,
                        "failed": sum(run["failed"] for run in done),
                        "p50_ms": statistics.median(run["p50_ms"] for run in done),
                        "p95_ms": statistics.median(run["p95_ms"] for run in done)}
    return merged


def get_script(paths: list[str], headers: dict | None = None) -> str:
    """A wrk script that GETs the paths in turn, with the given headers."""
    lines = [f"local paths = {{{', '.join(json.dumps(path) for path in paths)}}}", "local n = 0"]
    lines += [f"wrk.headers[{json.dumps(name)}] = {json.dumps(value)}" for name, value in (headers or {}).items()]
    lines += ["request = function()", "  n = n + 1", "  return wrk.format('GET', paths[(n % #paths) + 1])", "end"]
    return "\n".join(lines)


def post_script(path: str, body: dict, headers: dict) -> str:
    """A wrk script that POSTs the same JSON body to the path again and again."""
    lines = [f"wrk.path = {json.dumps(path)}", "wrk.method = 'POST'",
             f"wrk.body = {json.dumps(json.dumps(body))}",  # ASCII: LuaJIT knows no \\u escapes
             "wrk.headers['Content-Type'] = 'application/json'"]
    lines += [f"wrk.headers[{json.dumps(name)}] = {json.dumps(value)}" for name, value in headers.items()]
    return "\n".join(lines)


def etag_of(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.headers["ETag"]
