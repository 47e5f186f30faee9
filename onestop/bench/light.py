"""Light pages on an old desk PC (issue 21, item 4): bytes, requests and time until usable, throttled.

    python -m onestop.bench.light [--out light-results.json]

Chromium (Playwright, /usr/bin/chromium) with the CPU slowed 4× and a 1.5 Mbit/s link with 100 ms
latency (Chrome DevTools Protocol: Emulation.setCPUThrottlingRate, Network.emulateNetworkConditions),
against gunicorn on a demo database of its own. For each page: bytes over the wire and requests on the
first visit (empty cache) and on a revisit (same browser, cache kept), and the time from navigation
until the page is usable (its main input accepts typing, or its first button is there to press).
Part of `make bench`, not of the unit suite: the figures are times.
"""
import argparse
import json
import re
import tempfile
import time
from pathlib import Path

import flask_migrate
import sqlalchemy as sa

from .. import calendars, clock, create_app, dossiers, kiosks, seed
from ..extensions import db
from ..models import Procedure
from .served import Gunicorn

ROOT = Path(__file__).resolve().parent.parent.parent
NOW = "2026-03-05T09:00:00+07:00"
KBIT = 1000 / 8  # bytes per second in one kbit/s
LINK = {"offline": False, "latency": 100, "downloadThroughput": 1500 * KBIT, "uploadThroughput": 1500 * KBIT}
CPU_SLOWDOWN = 4
STAFF_FIRST_KB, STAFF_REVISIT_KB = 150, 20


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


def _throttled(context):
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", LINK)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    seen = {"bytes": 0, "requests": 0}
    cdp.on("Network.requestWillBeSent", lambda event: seen.__setitem__("requests", seen["requests"] + 1))
    cdp.on("Network.loadingFinished",
           lambda event: seen.__setitem__("bytes", seen["bytes"] + int(event.get("encodedDataLength", 0))))
    return page, seen


def _visit(page, seen, url: str, usable: str, typing: bool) -> dict:
    seen.update(bytes=0, requests=0)
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    target = page.locator(usable).first
    target.wait_for(state="visible")
    if typing:
        target.press_sequentially("a")
        page.wait_for_function("(s) => document.querySelector(s).value.endsWith('a')", arg=usable)
    ready = time.perf_counter() - started
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)  # late requests (scripts' own fetches) still count
    return {"kb": round(seen["bytes"] / 1000, 1), "requests": seen["requests"], "usable_s": round(ready, 2)}


def measure(base: str, facts: dict) -> list[dict]:
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
            context = browser.new_context(base_url=base)
            if staff:  # the session cookie only: the login page's own files stay out of the cache
                login = context.request.get("/auth/login").text()
                token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login)
                context.request.post("/auth/login", form={"username": "clerk", "password": seed.DEMO_PASSWORD,
                                                          **({"csrf_token": token[1]} if token else {})})
            if name == "kiosk home":
                context.request.get(facts["enrol"])
            page, seen = _throttled(context)
            first = _visit(page, seen, base + path, usable, typing)
            again = _visit(page, seen, base + path, usable, typing)
            row = {"page": name, "first": first, "revisit": again, "staff": staff}
            if staff:
                row["target"] = f"first < {STAFF_FIRST_KB} kB, revisit < {STAFF_REVISIT_KB} kB"
                row["pass"] = first["kb"] < STAFF_FIRST_KB and again["kb"] < STAFF_REVISIT_KB
            if name == "intake form":
                row["target"] = row.get("target", "") + "; usable < 1.5 s first, < 0.5 s revisit"
                row["pass"] = row["pass"] and first["usable_s"] < 1.5 and again["usable_s"] < 0.5
            rows.append(row)
            context.close()
        browser.close()
    return rows


def table(rows: list[dict]) -> str:
    lines = ["| page | first visit | revisit (cache) | usable after (first / revisit) | target | met |",
             "|---|---|---|---|---|---|"]
    for row in rows:
        first, again = row["first"], row["revisit"]
        met = "–" if "pass" not in row else ("yes" if row["pass"] else "**NO**")
        lines.append(f"| {row['page']} | {first['kb']} kB, {first['requests']} requests | {again['kb']} kB, "
                     f"{again['requests']} requests | {first['usable_s']} s / {again['usable_s']} s | "
                     f"{row.get('target', '–')} | {met} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("light-results.json"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="onestop-light-") as workdir:
        url = f"sqlite:///{Path(workdir) / 'light.sqlite'}"
        facts = _prepare(url)
        with Gunicorn(url, NOW) as server:
            rows = measure(server.url, facts)
    args.out.write_text(json.dumps({"cpu_slowdown": CPU_SLOWDOWN, "link": LINK, "rows": rows}, indent=1))
    print(f"Chromium, CPU slowed {CPU_SLOWDOWN}×, 1.5 Mbit/s with 100 ms latency\n")
    print(table(rows))


if __name__ == "__main__":
    main()
