"""``python -m atlas update``: the command-line face of atlas.live.update.run_update.

    python -m atlas update                      # county 20: SCB BAS monthly + annual, population,
                                                #   employment by industry; Kolada x2; Yrkesbarometern
    python -m atlas update --county 25          # another county
    python -m atlas update --all-counties       # Riket, 21 län, 290 kommuner
    python -m atlas update --datasets kolada_n03926,af_yrkesbarometer
    python -m atlas update --api v1             # SCB through PxWeb v1 (default auto: v2, v1 if v2 is down)
    python -m atlas update --scb-table ArRegArbStatus=TAB1234   # pin a PxWebApi 2 table id
    python -m atlas update --partial            # keep the datasets that succeeded when one fails
    python -m atlas update --plan               # print the SCB call/cell plan (PxWebApi 2), touch nothing
    python -m atlas update --plan --online      # the same from the tables' current metadata

Exit status: 0 updated or no new data, 1 a dataset or the build failed (nothing changed unless
--partial), 2 bad arguments.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from atlas.live import paging, scb
from atlas.live.datasets import DATASETS, SCB_APIS
from atlas.sources.fetch import FROM_ENV

# Kommuner per län (SCB's region list, as in the spec's TAB638 example: 312 codes = Riket, 21 län,
# 290 kommuner). The offline plan needs region counts without asking anyone.
KOMMUNER_PER_LAN = {"01": 26, "03": 8, "04": 9, "05": 13, "06": 13, "07": 8, "08": 12, "09": 1, "10": 5,
                    "12": 33, "13": 6, "14": 49, "17": 16, "18": 12, "19": 10, "20": 15, "21": 10, "22": 7,
                    "23": 8, "24": 15, "25": 14}
PLAN_MAX_CELLS = 150_000  # PxWebApi 2 /config maxDataCells at SCB (stefur/pxwebpy's recorded reply)
PLAN_MONTHS = 76  # ArbStatusM 2020M01-2026M04 (the mirror's range); each new month adds one
# Nominal query sizes per table (regions filled in per run). Period counts are what the tables held
# when this was written, or marked as an estimate: `--plan --online` reads the real ones.
PLAN = [
    ("scb_arbstatusm", "ArbStatusM (TAB6260), 20-64 år",
     {"Kon": 3, "Alder": 1, "Fodelseregion": 3, "ContentsCode": 11, "Tid": PLAN_MONTHS}),
    ("scb_arbstatusm", "ArbStatusM (TAB6260), 16-64 år",
     {"Kon": 3, "Alder": 1, "Fodelseregion": 3, "ContentsCode": 3, "Tid": PLAN_MONTHS}),
    ("scb_arregarbstatus", "ArRegArbStatus (v2 id looked up; estimate: 6 years)",
     {"Kon": 3, "Alder": 1, "Fodelseregion": 3, "ContentsCode": 6, "Tid": 6}),
    ("scb_befolkningny", "BefolkningNy (TAB638, 1968-2024: 57 years)",
     {"Alder": 45, "Kon": 2, "ContentsCode": 1, "Tid": 57}),
    ("scb_dagsni07konkn", "DagSni07KonKN (TAB5837 looked up; 16 industries, 2019-2021)",
     {"SNI2007": 16, "Kon": 2, "ContentsCode": 1, "Tid": 3}),
]
# Calls before any data: /config, then per table /tables/{id} + /metadata (pinned) or a search +
# candidates' metadata (looked up; at least one), and the two Region code lists TAB638 offers.
PLAN_SETUP_CALLS = 1 + 2 + 2 + 2 + 2 + 2


def add_parser(sub: argparse._SubParsersAction) -> None:
    u = sub.add_parser("update", help="fetch the newest data from SCB, Kolada and Arbetsförmedlingen into "
                                      "data/live/ and rebuild the database (nothing changes if a fetch fails)")
    where = u.add_mutually_exclusive_group()
    where.add_argument("--county", default="20", help="county code (default 20, Dalarna)")
    where.add_argument("--all-counties", action="store_true", help="Riket, every county and every municipality")
    u.add_argument("--datasets", help=f"comma-separated subset of: {', '.join(DATASETS)}")
    u.add_argument("--api", default="auto", choices=SCB_APIS,
                   help="SCB's API: v2 (PxWebApi 2), v1 (PxWeb v1) or auto (v2; v1 only when v2 cannot be reached)")
    u.add_argument("--scb-table", action="append", default=[], metavar="NAME=TABID",
                   help="use this PxWebApi 2 id for an SCB table (e.g. ArRegArbStatus=TAB1234); repeatable")
    u.add_argument("--deadline-minutes", type=float, default=60.0,
                   help="stop the whole update (changing nothing) after this many minutes (default 60)")
    u.add_argument("--partial", action="store_true",
                   help="commit the datasets that succeeded even if another one failed")
    u.add_argument("--plan", action="store_true", help="print the SCB call/cell plan and exit (no network)")
    u.add_argument("--online", action="store_true",
                   help="with --plan: read SCB's config and the tables' metadata for the real numbers (no data calls)")
    u.add_argument("--db", help="database file (default: $ATLAS_DB or data/atlas.duckdb)")
    u.add_argument("--live-dir", help="live folder (default: $ATLAS_LIVE_DIR or data/live)")
    u.set_defaults(run=run)


def regions_for(county: str) -> int:
    """Regions a run asks for: Riket + the county + its kommuner; "all": Riket + 21 län + 290 kommuner."""
    if county == "all":
        return 1 + len(KOMMUNER_PER_LAN) + sum(KOMMUNER_PER_LAN.values())
    return 2 + KOMMUNER_PER_LAN[county]


def plan_rows(county: str, max_cells: int = PLAN_MAX_CELLS) -> list[tuple[str, str, int, int]]:
    """(dataset key, table text, data calls, cells) per query for ``county``, from the nominal sizes."""
    out = []
    for key, name, sizes in PLAN:
        calls, total = paging.plan({"Region": regions_for(county), **sizes}, max_cells)
        out.append((key, name, calls, total))
    return out


def print_plan(out=None, county: str = "20") -> None:
    """Per SCB table (PxWebApi 2): data calls and cells for one county and for all counties, at the
    cell limit SCB's /config states; Kolada and Arbetsförmedlingen are listed for completeness."""
    out = out or sys.stdout
    county = "20" if county == "all" else county
    print(f"SCB PxWebApi 2 plan (cell limit {_n(PLAN_MAX_CELLS)} per call, from /config; rate limit from /config, "
          f"30 calls per 10 s at SCB):", file=out)
    print(f"{'table':60s} {'county ' + county:>24s} {'all counties':>26s}", file=out)
    one, every = plan_rows(county), plan_rows("all")
    totals = [0, 0, 0, 0]
    for (key, name, c1, n1), (_, _, c2, n2) in zip(one, every):
        print(f"{name:60s} {c1:>4d} calls {_n(n1):>11s} cells {c2:>5d} calls {_n(n2):>12s} cells", file=out)
        totals = [totals[0] + c1, totals[1] + n1, totals[2] + c2, totals[3] + n2]
    print(f"{'SCB data calls in total':60s} {totals[0]:>4d} calls {_n(totals[1]):>11s} cells "
          f"{totals[2]:>5d} calls {_n(totals[3]):>12s} cells", file=out)
    print(f"Plus about {PLAN_SETUP_CALLS} calls before the data (config, table checks and lookups, metadata, "
          f"Region code lists), the same for one county and all.", file=out)
    print(f"Regions: county {county} = Riket + the county + {KOMMUNER_PER_LAN[county]} kommuner = "
          f"{regions_for(county)}; all = {regions_for('all')}.", file=out)
    print("Kolada: 1 call for the municipality list (+ next pages), then per KPI (N03926, N00914) one call "
          "per block of 20 ids x 20 years (+ next pages): 17 ids = 1 call, 312 ids = 16 calls per KPI.", file=out)
    print("Arbetsförmedlingen: 1 call (the whole Yrkesbarometern JSON).", file=out)


def print_online_plan(county: str, api: str, pins: dict[str, str], out=None, base_urls=None, http=None) -> int:
    """The plan from the live config and metadata (no data calls); returns an exit status."""
    from atlas.live.datasets import DEFAULT_BASE_URLS, SCB_SELECTIONS, Context
    from atlas.live.http import LiveError, LiveHttp

    out = out or sys.stdout
    ctx = Context(county, http or LiveHttp(), {**DEFAULT_BASE_URLS, **(base_urls or {})}, Path("."), api=api,
                  scb_pins=pins)
    try:
        client = ctx.scb
        max_cells = client.configure()
        print(f"SCB {client.api} plan for {'all counties' if county == 'all' else 'county ' + county} "
              f"(cell limit {_n(max_cells)} per call, from the API's config):", file=out)
        calls_total = cells_total = 0
        for key, (table, selections) in SCB_SELECTIONS.items():
            meta, _ = client.metadata(table)
            for sel in selections(meta, county):
                calls = len(paging.split_selection(sel, max_cells))
                n = paging.cells(sel)
                calls_total, cells_total = calls_total + calls, cells_total + n
                print(f"{meta.name:30s} {calls:>5d} calls {_n(n):>12s} cells  {scb.describe(sel)}", file=out)
        print(f"SCB data calls in total: {calls_total} for {_n(cells_total)} cells "
              f"(+{sum(ctx.http.calls.values())} calls made for this plan).", file=out)
    except LiveError as exc:
        print(f"Fel / Error: {ctx.explain(exc).message}", file=sys.stderr)
        return 1
    return 0


def _n(number: int) -> str:
    return f"{number:,}".replace(",", " ")


def parse_pins(items: list[str]) -> dict[str, str]:
    """{"ArRegArbStatus": "TAB1234"} from ["ArRegArbStatus=TAB1234"]; ValueError for another shape."""
    out = {}
    for item in items:
        name, sep, tid = item.partition("=")
        if not sep or not name.strip() or not tid.strip():
            raise ValueError(f"--scb-table wants NAME=TABID, got {item!r}.")
        out[name.strip()] = tid.strip()
    return out


def run(args: argparse.Namespace) -> int:
    from atlas.live.update import run_update

    from atlas.live.update import check_county, check_scb_tables

    county = "all" if args.all_counties else args.county
    try:
        county = check_county(county)
        pins = check_scb_tables(parse_pins(args.scb_table))
        if args.deadline_minutes <= 0:
            raise ValueError("--deadline-minutes must be more than 0.")
    except ValueError as exc:
        print(f"Fel / Error: {exc}", file=sys.stderr)
        return 2
    if args.plan:
        if args.online:
            return print_online_plan(county, args.api, pins)
        print_plan(county=county)
        return 0

    def show(frac: float, step: str) -> None:
        print(f"[{frac:4.0%}] {step}", file=sys.stderr, flush=True)

    try:
        keys = [k.strip() for k in args.datasets.split(",") if k.strip()] if args.datasets else None
        result = run_update(county, datasets=keys,
                            live_dir=Path(args.live_dir) if args.live_dir else FROM_ENV,
                            db=Path(args.db) if args.db else None,
                            partial=args.partial, progress=show, api=args.api, scb_tables=pins,
                            deadline_s=args.deadline_minutes * 60)
    except ValueError as exc:
        print(f"Fel / Error: {exc}", file=sys.stderr)
        return 2
    for s in result.datasets:
        detail = f"{s.rows:>8d} rows, {s.calls} calls" if s.status in ("updated", "unchanged") else s.message
        print(f"  {s.status:10s} {s.id:34s} {detail}")
    print(result.message, file=sys.stdout if result.ok else sys.stderr)
    return 0 if result.ok else 1
