"""Command line: ``python -m atlas build [--force]``, ``python -m atlas update [...]`` (see
atlas/live/cli.py), ``python -m atlas admin hash-password [--account NAME]``,
``python -m atlas report --lan 20 [--kommun 2085] [--lang en] --format pdf|html --out FILE``,
``python -m atlas sync`` (rebuild when the shared admin register changes: atlas/admin/sync.py) and
``python -m atlas checksums DB [DB ...]`` (atlas/checksums.py)."""

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
    a = sub.add_parser("admin", help="admin accounts")
    a_sub = a.add_subparsers(dest="admin_command", required=True)
    h = a_sub.add_parser("hash-password", help="make an account's line for [admin.accounts] in .streamlit/secrets.toml "
                                               "(asks for the password twice, never echoes it)")
    h.add_argument("--account", default="admin", help="the account name (letters, digits, . _ @ -; default admin)")
    r = sub.add_parser("report", help="write the printable situation report (key figures, findings, map, trends, "
                                      "notices, shortage occupations, ASF, sources) as PDF or HTML")
    r.add_argument("--lan", required=True, help="the county's two-digit code, e.g. 20")
    r.add_argument("--kommun", help="a kommun of that county (four digits, e.g. 2085): its own report")
    r.add_argument("--lang", choices=["sv", "en"], default="sv")
    r.add_argument("--format", choices=["pdf", "html"], default="pdf")
    r.add_argument("--out", required=True, help="the file to write (written only when complete)")
    r.add_argument("--db", help="database file (default: $ATLAS_DB or data/atlas.duckdb)")
    y = sub.add_parser("sync", help="rebuild this host's database whenever the admin register changes (polls)")
    y.add_argument("--interval", type=float, default=5.0, help="seconds between polls (default 5)")
    y.add_argument("--once", action="store_true", help="poll once and exit")
    y.add_argument("--db", help="database file (default: $ATLAS_DB or data/atlas.duckdb)")
    c = sub.add_parser("checksums", help="table checksums of built databases; with two or more, whether they differ")
    c.add_argument("databases", nargs="+")
    args = parser.parse_args(argv)
    if args.command == "sync":
        import logging
        from pathlib import Path

        from atlas.admin import sync

        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
        return sync.run(Path(args.db) if args.db else None, interval=max(args.interval, 0.5), once=args.once)
    if args.command == "checksums":
        from atlas import checksums

        return checksums.main(args.databases)
    if args.command == "report":
        return _report(args)
    if args.command == "update":
        return args.run(args)
    if args.command == "admin":
        return _hash_password(args.account)

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
            if result.notes:  # each one was logged as a warning above
                print(f"Geometry: {len(result.notes)} polygon(s) repaired or left off the maps (listed above).")
        return 0
    return 2


def _report(args) -> int:
    """Write the report; exit status 1 with the reason (in the report's language) when it cannot be made."""
    from pathlib import Path

    from atlas import db
    from atlas.report import ReportError, build_report
    from atlas.report.pdf import PdfUnavailable

    try:
        con = db.connect(Path(args.db)) if args.db else None
        result = build_report(args.lan, kommun=args.kommun, lang=args.lang, fmt=args.format, out=Path(args.out), con=con)
    except (ReportError, PdfUnavailable, db.DatabaseMissing) as exc:
        print(f"No report written: {exc}", file=sys.stderr)
        return 1
    pages = f", {result.pages} pages" if result.pages else ""
    print(f"Wrote {result.path} ({result.path.stat().st_size // 1024} KB{pages}) in {result.seconds:.1f} s")
    return 0


def _hash_password(account: str) -> int:
    """Ask for a password twice (getpass: not echoed, not in the shell history) and print the line to
    put under [admin.accounts]. Exit status 1 when the name or the password is not acceptable."""
    import getpass

    from atlas.admin import auth

    if not auth.ACCOUNT_NAME.match(account):
        print("The account name may only have letters, digits and . _ @ - (at most 64).", file=sys.stderr)
        return 1
    password = getpass.getpass(f"Password for {account}: ")
    problems = auth.password_problems(password, account)
    if problems:
        text = {"too_short": f"shorter than {auth.MIN_LENGTH} characters",
                "too_long": f"longer than {auth.MAX_LENGTH} characters",
                "contains_name": "contains the account name", "too_simple": "fewer than 5 different characters"}
        print("Not accepted: " + "; ".join(text[p] for p in problems) + ".", file=sys.stderr)
        return 1
    if getpass.getpass("Again: ") != password:
        print("The two passwords differ; nothing was printed.", file=sys.stderr)
        return 1
    print("# Put this line under [admin.accounts] in .streamlit/secrets.toml:")
    print(f'{account} = "{auth.hash_password(password)}"')
    return 0


if __name__ == "__main__":
    sys.exit(main())
