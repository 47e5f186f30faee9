"""Issue 21, item 4: the light-page figures become bench-results.json rows with issue 21's targets (no timing here)."""
import json

from onestop.bench import light, timing


def _visit(kb, usable_s, requests=3):
    return {"kb": kb, "requests": requests, "from_cache": 0, "usable_s": usable_s}


def _row(page, staff, first, revisit):
    return {"page": page, "staff": staff, "first": first, "revisit": revisit}


ROWS = [
    _row("login page", False, _visit(12.9, 1.2), _visit(1.8, 0.4)),
    _row("desk home", True, _visit(149.9, 3.0), _visit(20.1, 2.0)),
    _row("intake form", True, _visit(26.6, 0.7), _visit(8.4, 0.51)),
    _row("kiosk home", False, _visit(28.2, 1.0), _visit(5.9, 0.5)),
]


def test_each_staff_page_gets_two_byte_rows_and_the_intake_form_two_usable_rows_with_the_issues_targets():
    rows = {row.name: row for row in light.results(ROWS)}
    assert [(name, row.value, row.target_value, row.unit, row.ok) for name, row in rows.items()] == [
        ("light page: desk home, bytes, first visit", 149.9, 150, "kB", True),
        ("light page: desk home, bytes, revisit (cache kept)", 20.1, 20, "kB", False),
        ("light page: intake form, bytes, first visit", 26.6, 150, "kB", True),
        ("light page: intake form, bytes, revisit (cache kept)", 8.4, 20, "kB", True),
        ("light page: intake form, usable after, first visit", 0.7, 1.5, "s", True),
        ("light page: intake form, usable after, revisit (cache kept)", 0.51, 0.5, "s", False),
    ]  # the login page, the kiosk and the lobby have no target in issue 21: no row
    assert "1.5 Mbit/s" in rows["light page: desk home, bytes, first visit"].note
    table = timing.table(list(rows.values()))
    assert "| 0.51 s | – | – | – | ≤ 0.5 s | **NO** |" in table
    assert "| 149.9 kB | – | – | – | ≤ 150 kB | yes |" in table


def test_the_rows_are_added_to_the_first_steps_results_and_replace_an_earlier_light_run(tmp_path):
    out = tmp_path / "bench-results.json"
    first_step = [{"name": "dossier page", "ok": True, "scale": 10000, "database": "sqlite", "date": "2026-12-06",
                   "machine": "2 cores"}]
    out.write_text(json.dumps(first_step))
    light.append(out, light.results(ROWS))
    light.append(out, light.results(ROWS))  # run again: the light rows are not doubled
    saved = json.loads(out.read_text())
    assert saved[0] == first_step[0]
    assert len(saved) == 1 + 6 and {row["scale"] for row in saved} == {10000}
    assert set(saved[1]) >= {"name", "value", "target_value", "ok", "unit", "note", "database", "machine"}
