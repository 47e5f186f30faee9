"""One read of an import file in a process of its own, so its peak memory can be read (issue 16 item 9).

    python -m onestop.bench.import_run worst|bare|bomb|floor

`worst` reads the largest register XLSX the import accepts (tables.MAX_ROWS lines, tables.MAX_COLUMNS
columns of text) with tables.read_table; `bare` reads the same file with openpyxl alone, in read-only
mode, with no bound (the baseline); `bomb` offers the 17-million-cell file of 300 KB and times its
refusal; `floor` only builds the worst file. Prints {"ms": …, "peak_mb": …, "refused": …, "cells": …}.
"""
import json
import sys
import time

from . import sheets
from .report_run import _peak_kb


def worst_file() -> bytes:
    """The register's headers then filler columns, and every line of text up to the bounds."""
    from onestop import ledger, tables

    header = [*ledger.HEADERS, *(f"Cột {n}" for n in range(len(ledger.HEADERS) + 1, tables.MAX_COLUMNS + 1))]
    lines = tables.MAX_ROWS + tables.TITLE_LINES - 1  # the header is a line too
    return sheets.xlsx(header, lambda row, column: f"Nguyễn Văn An {row}-{column}", lines, tables.MAX_COLUMNS)


def main(kind: str) -> dict:
    import io

    import openpyxl

    from onestop import ledger, tables

    data = sheets.bomb(1_000_000, 17, header=list(ledger.HEADERS)) if kind == "bomb" else worst_file()
    started, refused, cells = time.perf_counter(), False, 0
    if kind == "bare":
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        cells = sum(len(row) for row in workbook.worksheets[0].iter_rows(values_only=True))
        workbook.close()
    elif kind in ("worst", "bomb"):
        try:
            rows = tables.read_table(data, "so.xlsx", required=ledger.HEADERS)
            cells = sum(len(row) - 1 for row in rows)  # less the line number
        except tables.TableError:
            refused = True
    return {"ms": round((time.perf_counter() - started) * 1000, 1), "peak_mb": round(_peak_kb() / 1024, 1),
            "refused": refused, "cells": cells, "file_kb": round(len(data) / 1024)}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
