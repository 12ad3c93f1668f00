"""``python -m atlas update``: the command-line face of atlas.live.update.run_update.

    python -m atlas update                      # county 20: SCB BAS monthly + annual, population,
                                                #   employment by industry; Kolada x2; Yrkesbarometern
    python -m atlas update --county 25          # another county
    python -m atlas update --all-counties       # Riket, 21 län, 290 kommuner
    python -m atlas update --datasets kolada_n03926,af_yrkesbarometer
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

# Nominal query sizes for the plan, all counties (Riket + 21 län + 290 kommuner = 312 regions). The
# period counts are what the tables held when this was written or (marked) an estimate: the real
# numbers come from each table's metadata at run time, and the plan cannot read it offline.
PLAN_REGIONS_ALL = 1 + 21 + 290
PLAN_MONTHS = 76  # ArbStatusM 2020M01-2026M04
PLAN = [
    ("SCB ArbStatusM, 20-64 år", {"Region": PLAN_REGIONS_ALL, "Kon": 3, "Alder": 1, "Fodelseregion": 3,
                                  "ContentsCode": 11, "Tid": PLAN_MONTHS}),
    ("SCB ArbStatusM, 16-64 år", {"Region": PLAN_REGIONS_ALL, "Kon": 3, "Alder": 1, "Fodelseregion": 3,
                                  "ContentsCode": 3, "Tid": PLAN_MONTHS}),
    ("SCB ArRegArbStatus (estimate: 6 years)", {"Region": PLAN_REGIONS_ALL, "Kon": 3, "Alder": 1,
                                                "Fodelseregion": 3, "ContentsCode": 6, "Tid": 6}),
    ("SCB BefolkningNy (1968-2025: 58 years)", {"Region": PLAN_REGIONS_ALL, "Alder": 45, "Kon": 2,
                                                "ContentsCode": 1, "Tid": 58}),
    ("SCB DagSni07KonKN (estimate: 17 industries, 11 years)", {"Region": PLAN_REGIONS_ALL, "SNI2007": 17,
                                                               "Kon": 2, "ContentsCode": 1, "Tid": 11}),
]
PLAN_METADATA_CALLS = 4  # one GET per table


def add_parser(sub: argparse._SubParsersAction) -> None:
    u = sub.add_parser("update", help="fetch the newest data from SCB, Kolada and Arbetsförmedlingen into "
                                      "data/live/ and rebuild the database (nothing changes if a fetch fails)")
    where = u.add_mutually_exclusive_group()
    where.add_argument("--county", default="20", help="county code (default 20, Dalarna)")
    where.add_argument("--all-counties", action="store_true", help="Riket, every county and every municipality")
    u.add_argument("--datasets", help=f"comma-separated subset of: {', '.join(DATASETS)}")
    u.add_argument("--partial", action="store_true",
                   help="commit the datasets that succeeded even if another one failed")
    u.add_argument("--plan", action="store_true", help="print the SCB call/cell plan and exit (no network)")
    u.add_argument("--db", help="database file (default: $ATLAS_DB or data/atlas.duckdb)")
    u.add_argument("--live-dir", help="live folder (default: $ATLAS_LIVE_DIR or data/live)")
    u.set_defaults(run=run)


def print_plan(out=None) -> None:
    """Per SCB table and in total: data calls and cells at SCB's published cell limit and at the
    larger one its config has reported. Kolada and Arbetsförmedlingen are listed for completeness."""
    out = out or sys.stdout
    limits = (scb.PUBLISHED_MAX_CELLS, 150_000)
    totals = {limit: [0, 0] for limit in limits}
    print("Update of all counties (python -m atlas update --all-counties):", file=out)
    for name, sizes in PLAN:
        print(f"{name}: " + " x ".join(f"{k} {v}" for k, v in sizes.items()), file=out)
        for limit in limits:
            calls, total = paging.plan(sizes, limit)
            totals[limit][0] += calls
            totals[limit][1] += total
            print(f"  cell limit {_n(limit)}: {calls} data calls for {_n(total)} cells", file=out)
    for limit in limits:
        calls, total = totals[limit]
        print(f"SCB total at cell limit {_n(limit)}: {calls} data calls for {_n(total)} cells "
              f"(+{PLAN_METADATA_CALLS} metadata calls, +1 config call)", file=out)
    print("Kolada: 1 call for the municipality list (+ next pages), then per KPI (N03926, N00914) one call "
          "per block of 25 ids x 25 years (+ next pages): 312 ids = 13 calls per KPI.", file=out)
    print("Arbetsförmedlingen: 1 call (the whole Yrkesbarometern JSON).", file=out)
    print("Rate limit: SCB's config (maxCalls per timeWindow) or its published 10 calls per 10 s; a 429 "
          "waits for Retry-After.", file=out)


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
                            db=Path(args.db) if args.db else None,
                            partial=args.partial, progress=show)
    except ValueError as exc:
        print(f"Fel / Error: {exc}", file=sys.stderr)
        return 2
    for s in result.datasets:
        detail = f"{s.rows:>8d} rows, {s.calls} calls" if s.status in ("updated", "unchanged") else s.message
        print(f"  {s.status:10s} {s.id:34s} {detail}")
    print(result.message, file=sys.stdout if result.ok else sys.stderr)
    return 0 if result.ok else 1
