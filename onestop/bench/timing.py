"""Timing beside a baseline, and the rows of the result table (bench-results.json)."""
import json
import statistics
import time
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass
class Result:
    """One line of the table. `ratio` is cost over the baseline's cost: lower is better.

    Timed rows give milliseconds; throughput rows give requests per second in `value` and
    `baseline_value`, and their ratio is baseline rate over measured rate (so it also reads as cost).
    """

    name: str
    median_ms: float | None
    p95_ms: float | None
    baseline_ms: float | None
    ratio: float | None
    target_ratio: float | None
    ok: bool | None
    target_value: float | None = None  # an absolute limit in `unit`: at most for ms and MB, at least for rates
    value: float | None = None
    baseline_value: float | None = None
    unit: str = "ms"
    note: str = ""


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def interleaved(measured, baseline, rounds: int, warmup: int = 3) -> tuple[list[float], list[float]]:
    """Milliseconds of `measured(i)` and `baseline(i)`, run turn about so noise hits both alike."""
    for i in range(warmup):
        measured(i), baseline(i)
    ours, theirs = [], []
    for i in range(rounds):
        for function, samples in ((baseline, theirs), (measured, ours)):
            started = time.perf_counter()
            function(i)
            samples.append((time.perf_counter() - started) * 1000)
    return ours, theirs


def compare(name: str, ours: list[float], theirs: list[float], *, target_ratio: float | None = None,
            target_ms: float | None = None, note: str = "") -> Result:
    """A row from the two samples: medians, our p95, and pass against whichever targets are set."""
    median, base = statistics.median(ours), statistics.median(theirs)
    ratio = median / base if base else None
    checks = [ratio is not None and ratio <= target_ratio] if target_ratio is not None else []
    checks += [median <= target_ms] if target_ms is not None else []
    return Result(name, round(median, 3), round(percentile(ours, 0.95), 3), round(base, 3),
                  round(ratio, 2) if ratio is not None else None, target_ratio,
                  all(checks) if checks else None, target_ms, value=round(median, 3), baseline_value=round(base, 3),
                  note=note)


def rate(name: str, ours: dict, theirs: dict, *, target_ratio: float | None = None, target_value: float | None = None,
         unit: str = "req/s", note: str = "") -> Result:
    """A throughput row from two wrk runs (or an intake burst): ratio = their rate / ours."""
    ratio = theirs["rate"] / ours["rate"] if ours["rate"] and theirs else None
    checks = [ratio is not None and ratio <= target_ratio] if target_ratio is not None else []
    checks += [ours["rate"] >= target_value] if target_value is not None else []
    return Result(name, ours.get("p50_ms"), ours.get("p95_ms"), theirs.get("p50_ms") if theirs else None,
                  round(ratio, 2) if ratio is not None else None, target_ratio, all(checks) if checks else None,
                  target_value, value=round(ours["rate"], 1),
                  baseline_value=round(theirs["rate"], 1) if theirs else None, unit=unit, note=note)


def table(results: list[Result]) -> str:
    """The results as a Markdown table, for the terminal and BENCHMARKS.md."""
    lines = ["| operation | median | p95 | baseline | ratio | target | pass |", "|---|---:|---:|---:|---:|---|---|"]
    for row in results:
        if row.unit == "ms":
            median, p95, base = _ms(row.median_ms), _ms(row.p95_ms), _ms(row.baseline_ms)
        elif row.unit in ("s", "kB"):  # the light pages: one measured figure, an absolute limit
            median, p95, base = f"{row.value:g} {row.unit}", "–", "–"
        else:
            median, p95 = f"{row.value:,.0f} {row.unit}", f"{_ms(row.p95_ms)} latency"
            base = f"{row.baseline_value:,.0f} {row.unit}" if row.baseline_value is not None else "–"
            if row.unit == "MB":
                median, p95 = f"{row.value:,.0f} MB", "–"
        digits = 0 if row.target_value is None or row.target_value >= 10 else 1
        limit = "" if row.target_value is None else \
            f"{'≥' if row.unit.endswith('/s') else '≤'} {row.target_value:,.{digits}f} {row.unit}"
        target = " and ".join(filter(None, (f"≤ {row.target_ratio:g}×" if row.target_ratio is not None else "", limit)))
        verdict = {True: "yes", False: "**NO**", None: "–"}[row.ok]
        ratio = f"{row.ratio:.2f}×" if row.ratio is not None else "–"
        name = f"{row.name} ({row.note})" if row.note else row.name
        lines.append(f"| {name} | {median} | {p95} | {base} | {ratio} | {target or '–'} | {verdict} |")
    return "\n".join(lines)


def _ms(value) -> str:
    return "–" if value is None else f"{value:,.2f} ms" if value < 100 else f"{value:,.0f} ms"


def save(results: list[Result], path: Path, context: dict) -> None:
    """The rows as a JSON list; each also names the run (scale, database, machine, date)."""
    rows = [{**asdict(row), **context} for row in results]
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
