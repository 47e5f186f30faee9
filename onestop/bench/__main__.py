"""`make bench`: seed a province's year, measure everything beside its baseline, print and save the table.

    python -m onestop.bench [--scale N] [--db sqlite|postgresql] [--server URL] [--out FILE] [--workdir DIR]

--server: an existing PostgreSQL server (SQLAlchemy URL) to make the benchmark's database on;
without it, --db postgresql starts a throwaway server (scripts/throwaway-postgres.sh).
Exit status: 0 when every target is met, 3 when one is missed (the table says which), else a failure.
"""
import argparse
import sys
from pathlib import Path

from .run import run

MISSED = 3


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m onestop.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1_000_000, help="dossiers in the province's year")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--server", help="an existing PostgreSQL server to use instead of a throwaway one")
    parser.add_argument("--out", type=Path, default=Path("bench-results.json"))
    parser.add_argument("--workdir", type=Path, help="where the SQLite file is written (default: a temporary directory)")
    args = parser.parse_args(argv)
    results = run(args.scale, args.db, args.out, server=args.server, workdir=args.workdir)
    failed = [row.name for row in results if row.ok is False]
    if failed:
        print(f"\nMissed targets: {', '.join(failed)}", file=sys.stderr)
    return MISSED if failed else 0


if __name__ == "__main__":
    sys.exit(main())
