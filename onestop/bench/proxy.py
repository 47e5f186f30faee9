"""Issue 21, item 5: public lookup and API intake through two gunicorn servers behind one nginx.

Three ways to the same database, measured turn about in slices (as the other served rows):
- *direct*: wrk straight to server A (gunicorn, 2 sync workers), no proxy;
- *one*: through nginx to an upstream of server A alone;
- *two*: through the same nginx to an upstream of servers A and B (2 workers each), round robin.

nginx runs as a foreground process of the benchmark's own (`daemon off`, unprivileged: as `nobody`
when the benchmark runs as root), with a configuration, pid and log written to a temporary directory
and two ports of its own, one per upstream; the proxy settings are those of scripts/nginx-onestop.conf
(HTTP/1.1 with keepalive to the upstream, the forwarded headers, next upstream on error). Rate limiter
off, as in the other served rows; where redis-server is installed, one more pair of servers has it on
with its counts in a Redis of the benchmark's own, as a province runs, to show what that costs. On this
machine all of it shares the same cores: see BENCHMARKS.md.
"""
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path

import sqlalchemy as sa

from .. import tokens
from ..extensions import db
from ..models import User
from . import inprocess, served
from .timing import Result, rate

# The proxy's cost: one server behind nginx keeps at least two thirds of its rate without it (BENCHMARKS.md).
PROXY_COST = 1.5

CONFIG = """\
daemon off;
worker_processes auto;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
{upstreams}
}}
"""
UPSTREAM = """\
    upstream {name} {{
{servers}
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://{name};
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-Host $host;
            proxy_read_timeout 70s;
            proxy_next_upstream error timeout http_502 http_503;
        }}
    }}
"""


def nginx_missing() -> str | None:
    """Why the proxy rows cannot run here, or None."""
    return None if _nginx() else "nginx is not installed (apt-get install nginx)"


def _nginx() -> str | None:
    return shutil.which("nginx") or next((path for path in ("/usr/sbin/nginx",) if os.access(path, os.X_OK)), None)


class Nginx:
    """nginx in the foreground with one port per upstream: {name: [gunicorn ports]}; `url(name)`."""

    def __init__(self, upstreams: dict[str, list[int]]):
        self.dir = Path(tempfile.mkdtemp(prefix="onestop-bench-nginx-"))
        self.ports = {name: served.free_port() for name in upstreams}
        blocks = [UPSTREAM.format(name=name, port=self.ports[name], servers="\n".join(
            f"        server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;" for port in ports))
            for name, ports in upstreams.items()]
        config = self.dir / "nginx.conf"
        config.write_text(CONFIG.format(dir=self.dir, upstreams="\n".join(blocks)), encoding="utf-8")
        unprivileged = {}
        if os.geteuid() == 0:  # never a root proxy: the whole nginx runs as nobody, in a directory nobody owns
            nobody = pwd.getpwnam("nobody")
            os.chown(self.dir, nobody.pw_uid, nobody.pw_gid)
            os.chown(config, nobody.pw_uid, nobody.pw_gid)
            unprivileged = {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}
        self.process = subprocess.Popen([_nginx(), "-p", f"{self.dir}/", "-c", str(config), "-e", f"{self.dir}/error.log"],
                                        start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                        **unprivileged)
        deadline = time.monotonic() + 30
        waiting = set(self.ports)
        while waiting and time.monotonic() < deadline and self.process.poll() is None:
            for name in list(waiting):
                try:
                    urllib.request.urlopen(f"{self.url(name)}/_bench/bare", timeout=5).close()
                    waiting.discard(name)
                except OSError:
                    time.sleep(0.2)
        if waiting:
            self.stop()
            log = self.dir / "error.log"
            raise RuntimeError(f"nginx did not start:\n{log.read_text() if log.exists() else ''}")

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def rows(app, url: str, now: str, clerk: str, agency_id: int, seconds: float, database: str) -> list[Result]:
    """The two-server rows (lookup and intake, two servers vs one behind nginx) and the proxy's cost."""
    why_not = nginx_missing()
    if why_not:
        print(f"\nSKIPPED the two-server rows behind a proxy: {why_not}\n", flush=True)
        return []
    from .run import TODAY  # here, not above: run imports this module
    with app.app_context():
        codes = inprocess.sample_codes(500 if seconds > 5 else 50)
        token = tokens.issue(db.session.scalar(sa.select(User).where(User.username == clerk)))
        db.session.commit()
    turns = 4 if seconds > 5 else 1
    lookup = served.get_script([f"/api/v1/public/dossiers/{code}" for code in codes])
    body = {"procedure_code": "2.000815", "applicant": {"name": "Nguyễn Văn Proxy"}, "channel": "direct"}
    intake = served.post_script("/api/v1/dossiers", body, {"Authorization": f"Bearer {token}"})
    with ExitStack() as stack:
        a, b = (stack.enter_context(served.Gunicorn(url, now)) for _ in range(2))
        upstreams = {"one": [a.port], "two": [a.port, b.port]}
        redis = stack.enter_context(_redis())
        if redis:  # the same two servers' code with the rate limiter on, its counts in Redis, as a province runs
            limited = {"FLASK_RATELIMIT_ENABLED": "true", "FLASK_RATELIMIT_STORAGE_URI": redis,
                       "FLASK_PUBLIC_RATE_LIMIT": "1000000000 per hour"}  # counted, never reached
            upstreams["redis"] = [stack.enter_context(served.Gunicorn(url, now, env=limited)).port for _ in range(2)]
        else:
            print("\nSKIPPED the rate limiter in Redis behind the proxy: redis-server is not installed\n", flush=True)
        proxy = stack.enter_context(Nginx(upstreams))
        ways = {"direct": a.url, "one": proxy.url("one"), "two": proxy.url("two")}
        groups = {"nginx": [proxy.process.pid], "gunicorn": [a.process.pid, b.process.pid]}
        _say(f"two servers behind nginx: public lookup, direct / 1 server / 2 servers, {turns} turns about")
        spent = _cpu(groups)
        reads = served.wrk_turns({name: (where, lookup) for name, where in ways.items()}, seconds, turns)
        read_cpu = _per_request(_cpu(groups), spent, reads)
        if redis:
            _say(f"two servers behind nginx: public lookup, rate limiter off / on in Redis, {turns} turns about")
            limits = served.wrk_turns({"off": (proxy.url("two"), lookup), "redis": (proxy.url("redis"), lookup)},
                                      seconds, turns)
        for name, measured in {**reads, **({"rate limits in Redis": limits["redis"]} if redis else {})}.items():
            if measured["failed"]:  # a 429 too: the limit is never to be reached
                raise SystemExit(f"lookup ({name}): {measured['failed']} failed requests under wrk")
        _say(f"two servers behind nginx: API intake, direct / 1 server / 2 servers, {turns} turns about")
        before = served.intake_numbers(url, agency_id, TODAY)
        spent = _cpu(groups)
        # A shared SQLite file can keep an intake waiting for the write lock past wrk's 2 s: not a failure.
        writes = served.wrk_turns({name: (where, intake) for name, where in ways.items()}, seconds, turns, timeout=30)
        write_cpu = _per_request(_cpu(groups), spent, writes)
    # The checks of run._served, over every intake of the three ways.
    answered = sum(run["requests"] - run["failed"] for run in writes.values())
    failed = sum(run["failed"] for run in writes.values())
    made, whole, sound = served.intake_tally(before, served.intake_numbers(url, agency_id, TODAY), answered, failed,
                                             in_flight=8 * turns * len(ways))
    shared = "both servers on this machine's cores" + (", one SQLite file" if database == "sqlite" else "")
    results = [
        rate("public lookup JSON, 2 servers behind nginx", reads["two"], reads["one"],
             note=f"baseline: 1 server behind the same nginx; informational: {shared}"),
        rate("public lookup JSON, 1 server behind nginx", reads["one"], reads["direct"], target_ratio=PROXY_COST,
             note=f"baseline: the same server without the proxy; target = at least two thirds of its rate; {read_cpu}"),
        rate("API intake, 2 servers behind nginx", writes["two"], writes["one"], unit="dossiers/s",
             note=f"baseline: 1 server behind the same nginx; informational: {shared}; over the three ways "
                  f"{made:,} made, {answered:,} answered 201; no gap: {'yes' if whole else 'NO'}"),
        rate("API intake, 1 server behind nginx", writes["one"], writes["direct"], unit="dossiers/s",
             target_ratio=PROXY_COST,
             note=f"baseline: the same server without the proxy; target = at least two thirds of its rate; {write_cpu}"),
    ]
    if redis:
        results.append(rate("public lookup JSON, 2 servers behind nginx, rate limits counted in Redis",
                            limits["redis"], limits["off"],
                            note="baseline: the same with the rate limiter off, as in the other served rows; "
                                 "informational: the limiter's own work and a Redis round trip per limited request"))
    if not sound:  # a gap, a duplicate or a lost intake fails the row whatever its rate
        results[2].ok = False
    return results


@contextmanager
def _redis():
    """A Redis of the benchmark's own on a free port, without persistence, as a URL; None without redis-server."""
    binary = shutil.which("redis-server")
    if binary is None:
        yield None
        return
    port, folder = served.free_port(), tempfile.mkdtemp(prefix="onestop-bench-redis-")
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                "--dir", folder], start_new_session=True, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                    connection.sendall(b"PING\r\n")
                    if connection.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.2)
        yield f"redis://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


def _cpu(groups: dict[str, list[int]]) -> dict[str, float]:
    """CPU seconds (user + system) used so far by the processes of each program's process groups."""
    wanted = {group: name for name, pids in groups.items() for group in pids}
    used = dict.fromkeys(groups, 0.0)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()  # after the command: state, ppid, pgrp, …
        except OSError:
            continue
        if int(fields[2]) in wanted:
            used[wanted[int(fields[2])]] += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return used


def _per_request(after: dict[str, float], before: dict[str, float], runs: dict[str, dict]) -> str:
    """CPU per request of nginx (proxied requests only) and of the gunicorn workers (all), for the note."""
    proxied = runs["one"]["requests"] + runs["two"]["requests"]
    served_ = proxied + runs["direct"]["requests"]
    nginx = (after["nginx"] - before["nginx"]) / max(proxied, 1) * 1000
    workers = (after["gunicorn"] - before["gunicorn"]) / max(served_, 1) * 1000
    return f"CPU per request: nginx {nginx:.2f} ms, gunicorn {workers:.2f} ms"


def _say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)
