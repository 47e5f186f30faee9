"""A report run in a process of its own, so its peak memory can be read (`python -m onestop.bench.report_run`).

    python -m onestop.bench.report_run DATABASE_URL YEAR [--floor]

Writes the province's statistics form (XLSX and DOCX) and IT report (DOCX) for the year, then
prints {"ms": …, "peak_mb": …}. With --floor it only starts the app and reads the province:
the memory any run of the app costs before it does anything.
"""
import json
import resource
import sys
import time
from datetime import date



def main(database_url: str, year: int, floor: bool) -> dict:
    from onestop import create_app, report_files, seed
    from onestop.periods import calendar_year, official_months

    started = time.perf_counter()
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "NOW": f"{year}-12-31T16:30:00+07:00"})
    with app.app_context():
        province = seed.home_agency()
        if not floor:
            today = date(year, 12, 31)
            for kind in ("xlsx", "docx"):
                report_files.tthc(province, calendar_year(year), today, kind)
            report_files.it_report(province, official_months(year, 12), {"desk_total": None, "equipment": []}, 1, today)
    return {"ms": round((time.perf_counter() - started) * 1000, 1), "peak_mb": round(_peak_kb() / 1024, 1)}


def _peak_kb() -> int:
    """The process's resident high-water mark (VmHWM): its own, where ru_maxrss may carry the parent's."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], int(sys.argv[2]), "--floor" in sys.argv[3:])))
