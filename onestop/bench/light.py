"""Light pages on an old desk PC (issue 21, item 4): bytes, requests and time until usable, throttled.

    python -m onestop.bench.light [--out light-results.json] [--results bench-results.json]

Chromium (Playwright, /usr/bin/chromium) with the CPU slowed 4× and a 1.5 Mbit/s link with 100 ms
latency (Chrome DevTools Protocol: Emulation.setCPUThrottlingRate, Network.emulateNetworkConditions),
against gunicorn on a demo database of its own. For each page: bytes over the wire and requests on the
first visit (empty cache) and on a revisit (same browser, cache kept), and the time from navigation
until the page is usable: its main field (or the kiosk's first tile, the lobby's board) is on screen and
the page's scripts have run, in the page's own clock; a letter is then typed to check the field takes it.
Each page is measured in ROUNDS fresh browser profiles; the medians are reported.
Part of `make bench`, not of the unit suite: the figures are times. With --results, the rows that have a
target in issue 21 (bytes of every staff page, the intake form's time until usable) are added to the
first step's bench-results.json, in its row format; light-results.json keeps every figure. Exit status 3
when a target is missed.
"""
import argparse
import json
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from dataclasses import asdict
from datetime import date
from pathlib import Path

import flask_migrate
import sqlalchemy as sa

from .. import calendars, clock, create_app, dossiers, kiosks, seed
from ..extensions import db
from ..models import Procedure
from .served import Gunicorn
from .timing import Result

ROOT = Path(__file__).resolve().parent.parent.parent
NOW = "2026-03-05T09:00:00+07:00"
KBIT = 1000 / 8  # bytes per second in one kbit/s
LINK = {"offline": False, "latency": 100, "downloadThroughput": 1500 * KBIT, "uploadThroughput": 1500 * KBIT}
CPU_SLOWDOWN = 4
STAFF_FIRST_KB, STAFF_REVISIT_KB = 150, 20  # every staff page: bytes over the wire
INTAKE_FIRST_S, INTAKE_REVISIT_S = 1.5, 0.5  # the intake form: until the search box takes typing
ROUNDS = 5  # each page measured this many times, each time in a fresh browser profile; medians reported
MISSED = 3  # the exit status when a target is missed, as `python -m onestop.bench`
CONDITIONS = f"Chromium, CPU {CPU_SLOWDOWN}× slower, 1.5 Mbit/s, 100 ms"

def _prepare(url: str) -> dict:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "NOW": NOW, "SECRET_KEY": "bench-key-of-at-least-32-bytes-long"})
    with app.app_context():
        flask_migrate.upgrade(directory=str(ROOT / "onestop" / "migrations"))
        home, partners = seed.load_demo_agencies()
        seed.load_catalogue()
        seed.load_demo_users(home, partners[0])
        procedure = db.session.scalar(sa.select(Procedure).where(Procedure.code == "1.004837"))
        code = dossiers.receive(procedure, dossiers.Applicant("Nguyễn Văn An"), dossiers.Intake(), agency=home,
                                clerk=None, now=clock.now(), calendar=calendars.current()).code
        _kiosk, key = kiosks.enrol(home, "Kiosk sảnh", None, clock.now())
        db.session.commit()
        return {"agency": home.code, "code": code, "enrol": f"/kiosk/{home.code}/enroll?k={key}"}


# Runs before any page script on every navigation, in the page's own clock from the navigation's start:
# when the page's main field first has a box on screen (checked at each animation frame), when its
# deferred scripts have run (DOMContentLoaded comes after them: the search box's handlers are attached),
# and when the letter the harness types first reached a field (the `input` event).
MARKS = """(() => {
  const selector = %s, marks = window.__light = {};
  addEventListener("input", () => { if (marks.typed === undefined) marks.typed = performance.now(); }, true);
  document.addEventListener("DOMContentLoaded", () => { marks.scripts = performance.now(); });
  const look = () => {
    const element = document.querySelector(selector);
    if (element && element.getClientRects().length) marks.shown = performance.now();
    else requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})();"""


def _throttled(context):
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", LINK)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    seen = {"bytes": 0, "requests": 0, "cached": 0, "urls": [], "open": set()}

    def sent(event):
        seen["open"].add(event["requestId"])
        seen["requests"] += 1
        seen["urls"].append(event["request"]["url"])

    def finished(event):
        seen["open"].discard(event["requestId"])
        seen["bytes"] += int(event.get("encodedDataLength", 0))

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.requestServedFromCache", lambda event: seen.__setitem__("cached", seen["cached"] + 1))
    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.loadingFailed", lambda event: seen["open"].discard(event["requestId"]))
    return page, seen


def _quiet(page, seen, settle_ms: int = 700, longest_s: float = 5) -> None:
    """Wait until no request is open and none has started for `settle_ms` (the search the typed letter
    starts after its 150 ms pause included), so every visit's bytes are counted alike."""
    deadline = time.monotonic() + longest_s
    before = None
    while time.monotonic() < deadline:
        now = (seen["requests"], seen["bytes"])
        if now == before and not seen["open"]:
            return
        before = now
        page.wait_for_timeout(settle_ms)


def _visit(page, seen, url: str, usable: str, typing: bool) -> dict:
    """One visit: bytes over the wire, requests that went to the server, and seconds until usable."""
    origin = url[:url.index("/", len("http://"))]
    seen.update(bytes=0, requests=0, cached=0, urls=[], open=set())
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    target = page.locator(usable).first
    if typing:  # as soon as the field can take it (Playwright waits until it is visible and editable)
        target.press_sequentially("a")
        page.wait_for_function("(s) => document.querySelector(s).value.endsWith('a')", arg=usable)
    else:
        target.wait_for(state="visible")
    wall = time.perf_counter() - started
    page.wait_for_load_state("load")
    _quiet(page, seen)  # late requests (scripts' own fetches, the typed search) still count
    marks = page.evaluate("""() => ({...window.__light,
      paint: (performance.getEntriesByName("first-contentful-paint")[0] || {}).startTime})""")
    # Usable: the field is on screen and the scripts that serve it have run. A clerk's key pressed from
    # then on is taken and handled; the harness's own letter comes later (Playwright's checks and round
    # trips to a throttled renderer, 0.1-0.4 s on a loaded machine), so it is kept beside, not used.
    usable_ms = max(marks["shown"], marks["scripts"])
    return {"kb": round(seen["bytes"] / 1000, 1), "requests": seen["requests"] - seen["cached"],
            "from_cache": seen["cached"], "usable_s": _s(usable_ms), "first_paint_s": _s(marks.get("paint")),
            "typed_s": _s(marks.get("typed")) if typing else None, "harness_s": round(wall, 2),
            "urls": [u.removeprefix(origin) for u in seen["urls"]]}


def _s(ms: float | None) -> float | None:
    return None if ms is None else round(ms / 1000, 2)


def measure(base: str, facts: dict, rounds: int = ROUNDS) -> list[dict]:
    from playwright.sync_api import sync_playwright

    pages = [  # name, path, what must be usable, whether it takes typing, staff page
        ("login page", "/auth/login", "input[name=username]", True, False),
        ("desk home", "/desk/", "#scan-code", True, True),
        ("intake form", "/desk/receive", "#procedure-search", True, True),
        ("dossier page", f"/desk/dossiers/{facts['code']}", "#scan-code", True, True),
        ("kiosk home", f"/kiosk/{facts['agency']}", ".k-tile", False, False),
        ("lobby screen", f"/display/{facts['agency']}", "#board", False, False),
    ]
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for name, path, usable, typing, staff in pages:
            visits = {"first": [], "revisit": []}
            for _round in range(rounds):  # a new browser profile each round: the first visit is really first
                context = browser.new_context(base_url=base)
                if staff:  # the session cookie only: the login page's own files stay out of the cache
                    login = context.request.get("/auth/login").text()
                    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login)
                    context.request.post("/auth/login", form={"username": "clerk", "password": seed.DEMO_PASSWORD,
                                                              **({"csrf_token": token[1]} if token else {})})
                if name == "kiosk home":
                    context.request.get(facts["enrol"])
                context.add_init_script(MARKS % json.dumps(usable))
                page, seen = _throttled(context)
                visits["first"].append(_visit(page, seen, base + path, usable, typing))
                visits["revisit"].append(_visit(page, seen, base + path, usable, typing))
                context.close()
            row = {"page": name, "staff": staff, "rounds": rounds,
                   "first": _median(visits["first"]), "revisit": _median(visits["revisit"])}
            targets = _targets(row)
            row["target"] = "; ".join(text for *_rest, text in targets)
            met = [row[visit][key] <= limit for _measure, visit, key, limit, *_rest in targets]
            row["pass"] = all(met) if met else None
            rows.append(row)
        browser.close()
    return rows


def _median(visits: list[dict]) -> dict:
    """The rounds of one visit: the median of each figure (the times vary with the machine's load), the
    requests of the last round, and every round's time until usable."""
    merged = dict(visits[-1])
    for key in ("kb", "requests", "from_cache", "usable_s", "first_paint_s", "typed_s", "harness_s"):
        values = [visit[key] for visit in visits if visit.get(key) is not None]
        merged[key] = statistics.median(values) if values else None
    merged["usable_s_rounds"] = [visit["usable_s"] for visit in visits]
    return merged


def _targets(row: dict) -> list[tuple]:
    """(measure, visit, key, limit, unit, text) for each target issue 21 sets on this page."""
    found = []
    if row["staff"]:
        found += [("bytes", "first", "kb", STAFF_FIRST_KB, "kB", f"first ≤ {STAFF_FIRST_KB} kB"),
                  ("bytes", "revisit", "kb", STAFF_REVISIT_KB, "kB", f"revisit ≤ {STAFF_REVISIT_KB} kB")]
    if row["page"] == "intake form":
        found += [("usable", "first", "usable_s", INTAKE_FIRST_S, "s", f"usable ≤ {INTAKE_FIRST_S} s first"),
                  ("usable", "revisit", "usable_s", INTAKE_REVISIT_S, "s", f"≤ {INTAKE_REVISIT_S} s revisit")]
    return found


def results(rows: list[dict]) -> list[Result]:
    """The rows of bench-results.json: one per page and measure that issue 21 gives a target."""
    made = []
    for row in rows:
        for measure, visit, key, limit, unit, _text in _targets(row):
            seen = row[visit]
            visit_name = "first visit" if visit == "first" else "revisit (cache kept)"
            name = f"light page: {row['page']}, {'bytes' if measure == 'bytes' else 'usable after'}, {visit_name}"
            note = (f"{seen['requests']} requests to the server, {seen.get('from_cache', 0)} from cache; "
                    f"{CONDITIONS}; median of {row.get('rounds', 1)}")
            made.append(Result(name, None, None, None, None, None, seen[key] <= limit, target_value=limit,
                               value=seen[key], unit=unit, note=note))
    return made


def append(path: Path, made: list[Result]) -> None:
    """Add the rows to bench-results.json (the first step's rows kept; light rows of an earlier run replaced)."""
    rows = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
    context = {key: rows[0][key] for key in ("scale", "database", "date", "machine") if rows and key in rows[0]}
    context.update(date=date.today().isoformat(), machine=_machine())
    kept = [row for row in rows if not row["name"].startswith("light page: ")]
    path.write_text(json.dumps(kept + [{**asdict(row), **context} for row in made], ensure_ascii=False, indent=2)
                    + "\n", encoding="utf-8")


def _machine() -> str:
    return f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}"


def table(rows: list[dict]) -> str:
    lines = ["| page | first visit | revisit (cache) | usable after (first / revisit) | target | met |",
             "|---|---|---|---|---|---|"]
    for row in rows:
        first, again = row["first"], row["revisit"]
        met = {None: "–", True: "yes", False: "**NO**"}[row["pass"]]
        lines.append(f"| {row['page']} | {first['kb']} kB, {first['requests']} requests | {again['kb']} kB, "
                     f"{again['requests']} requests | {first['usable_s']} s / {again['usable_s']} s | "
                     f"{row['target'] or '–'} | {met} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("light-results.json"), help="every figure, per page")
    parser.add_argument("--results", type=Path, help="add the rows with a target to this bench-results.json")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="fresh browser profiles per page (medians)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="onestop-light-") as workdir:
        url = f"sqlite:///{Path(workdir) / 'light.sqlite'}"
        facts = _prepare(url)
        with Gunicorn(url, NOW) as server:
            rows = measure(server.url, facts, args.rounds)
    args.out.write_text(json.dumps({"cpu_slowdown": CPU_SLOWDOWN, "link": LINK, "machine": _machine(),
                                    "load_average": os.getloadavg(), "rows": rows}, indent=1))
    made = results(rows)
    if args.results:
        append(args.results, made)
    print(f"{CONDITIONS}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    print(table(rows))
    missed = [row.name for row in made if row.ok is False]
    if missed:
        print(f"\nMissed targets: {', '.join(missed)}", file=sys.stderr)
    return MISSED if missed else 0


if __name__ == "__main__":
    sys.exit(main())
