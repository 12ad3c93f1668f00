"""Command line: ``python -m atlas build [--force]``, ``python -m atlas update [...]`` (see atlas/live/cli.py)."""

from __future__ import annotations

import argparse
import sys

from atlas.build import BuildError, build, db_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m atlas", description="Inkluderingsatlas data tools")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the DuckDB database from the sources (mirror or network)")
    b.add_argument("--force", action="store_true", help="rebuild even when no input has changed")
    b.add_argument("--db", help="database file (default: $ATLAS_DB or data/atlas.duckdb)")
    from atlas.live.cli import add_parser as add_update_parser

    add_update_parser(sub)
    args = parser.parse_args(argv)
    if args.command == "update":
        return args.run(args)

    if args.command == "build":
        from pathlib import Path

        def show(frac: float, step: str) -> None:
            print(f"[{frac:4.0%}] {step}", file=sys.stderr, flush=True)

        try:
            result = build(Path(args.db) if args.db else db_path(), force=args.force, progress=show)
        except BuildError as exc:
            print(f"Build failed: {exc}", file=sys.stderr)
            return 1
        if result.skipped:
            print(f"Unchanged inputs: {result.path} kept as is ({result.seconds:.2f} s).")
        else:
            print(f"Built {result.path} in {result.seconds:.2f} s")
            for table, n in result.row_counts.items():
                print(f"  {table:28s} {n:>8d} rows")
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
