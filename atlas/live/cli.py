"""``python -m atlas update``: the command-line face of atlas.live.update.run_update.

    python -m atlas update                      # county 20: SCB BAS monthly, Kolada x2, Yrkesbarometern
    python -m atlas update --county 25          # another county
    python -m atlas update --all-counties       # Riket, 21 län, 290 kommuner
    python -m atlas update --datasets kolada_n03926,af_yrkesbarometer
    python -m atlas update --include-extra      # + annual BAS, population, employment by industry
    python -m atlas update --partial            # keep the datasets that succeeded when one fails
    python -m atlas update --plan               # print the SCB call/cell plan, touch nothing

Exit status: 0 updated or no new data, 1 a dataset or the build failed (nothing changed unless
--partial), 2 bad arguments.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from atlas.live import paging, scb
from atlas.live.datasets import DATASETS
from atlas.sources.fetch import FROM_ENV

# Nominal size of the monthly BAS query for the plan: 2020M01-2026M04 is 76 months; Kon (män,
# kvinnor, totalt), Fodelseregion (inrikes, utrikes, totalt), one age (20-64), 11 measures.
PLAN_MONTHS = 76
PLAN_REGIONS_ALL = 1 + 21 + 290


def add_parser(sub: argparse._SubParsersAction) -> None:
    u = sub.add_parser("update", help="fetch the newest data from SCB, Kolada and Arbetsförmedlingen into "
                                      "data/live/ and rebuild the database (nothing changes if a fetch fails)")
    where = u.add_mutually_exclusive_group()
    where.add_argument("--county", default="20", help="county code (default 20, Dalarna)")
    where.add_argument("--all-counties", action="store_true", help="Riket, every county and every municipality")
    u.add_argument("--datasets", help=f"comma-separated subset of: {', '.join(DATASETS)}")
    u.add_argument("--include-extra", action="store_true",
                   help="also the annual BAS, population and industry tables (their indicators must be in "
                        "data/curated/indicators.yml first)")
    u.add_argument("--partial", action="store_true",
                   help="commit the datasets that succeeded even if another one failed")
    u.add_argument("--plan", action="store_true", help="print the SCB call/cell plan and exit (no network)")
    u.add_argument("--db", help="database file (default: $ATLAS_DB or data/atlas.duckdb)")
    u.add_argument("--live-dir", help="live folder (default: $ATLAS_LIVE_DIR or data/live)")
    u.set_defaults(run=run)


def print_plan(out=None) -> None:
    out = out or sys.stdout
    sizes = {"Region": PLAN_REGIONS_ALL, "Kon": 3, "Alder": 1, "Fodelseregion": 3, "ContentsCode": 11,
             "Tid": PLAN_MONTHS}
    print("SCB ArbStatusM, all counties: " + " x ".join(f"{k} {v}" for k, v in sizes.items()), file=out)
    for limit in (scb.PUBLISHED_MAX_CELLS, 150_000):
        calls, total = paging.plan(sizes, limit)
        print(f"  cell limit {_n(limit)}: {calls} data calls for {_n(total)} cells (+1 metadata, +1 config call)",
              file=out)


def _n(number: int) -> str:
    return f"{number:,}".replace(",", " ")


def run(args: argparse.Namespace) -> int:
    from atlas.live.update import run_update

    if args.plan:
        print_plan()
        return 0

    def show(frac: float, step: str) -> None:
        print(f"[{frac:4.0%}] {step}", file=sys.stderr, flush=True)

    try:
        keys = [k.strip() for k in args.datasets.split(",") if k.strip()] if args.datasets else None
        result = run_update("all" if args.all_counties else args.county, datasets=keys,
                            live_dir=Path(args.live_dir) if args.live_dir else FROM_ENV,
                            db=Path(args.db) if args.db else None, include_extra=args.include_extra,
                            partial=args.partial, progress=show)
    except ValueError as exc:
        print(f"Fel / Error: {exc}", file=sys.stderr)
        return 2
    for s in result.datasets:
        detail = f"{s.rows:>8d} rows, {s.calls} calls" if s.status in ("updated", "unchanged") else s.message
        print(f"  {s.status:10s} {s.id:34s} {detail}")
    print(result.message, file=sys.stdout if result.ok else sys.stderr)
    return 0 if result.ok else 1
