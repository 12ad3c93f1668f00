"""Raw source files + curated data -> one DuckDB file, written atomically.

The database is written to a temporary file beside the target and renamed into place only when
complete, so a failed build leaves the database in use byte-identical. A fingerprint of every input
(source bytes, curated files, the code that parses them) is stored beside the database; when it is
unchanged, ``build`` returns without writing anything.

One writer at a time (atlas.locking): a build holds the folder's writer lock from the fingerprint
check to the swap, so two builds, an update and an admin's rebuild started together run one after
the other and none renames a stale database over a newer one. The swap (``install``) writes the new
file's sha256 beside it before the rename, under the swap lock readers share while they check it,
and keeps the replaced file as the last good database (atlas.paths.previous_path).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import duckdb
import pandas as pd
import yaml

from atlas import CURATED_DIR, QUERIES_DIR, ROOT
from atlas.locking import swap_lock, writer_lock
from atlas.paths import db_path, fingerprint_path, previous_path
from atlas.sources import OBSERVATION_COLUMNS, SourceError
from atlas.sources.fetch import FROM_ENV, FetchedFile, fetch, sha256_file
from atlas.sources.manifest import MANIFEST_PATH, load_manifest
from atlas.timestamps import utc_now

SCHEMA_VERSION = "1"
DERIVED_TABLES = ("comparison_source", "observation_wide", "indicator_stats", "kommun_profile", "outlook_pair")  # in build order
CURATED_FILES = ["indicators.yml", "lan.csv", "asf_register.csv", "asf_facts.csv",
                 "asf_county_totals.csv", "asf_support_organisations.csv"]
Progress = Callable[[float, str], None]
_log = logging.getLogger("atlas.build")


class BuildError(RuntimeError):
    """The build could not finish; the message says which input failed and why (in English, for
    logs and terminals). ``reason`` and ``source_id`` let a page say it in the reader's language
    (build.reason.<reason>): the SourceError reasons, plus "write" (the database file could not be
    written) and "data" (the sources do not fit together, e.g. an unknown region code)."""

    def __init__(self, message: str, *, reason: str = "data", source_id: str = "") -> None:
        super().__init__(message)
        self.reason = reason
        self.source_id = source_id

    @classmethod
    def of(cls, exc: SourceError, message: str | None = None) -> "BuildError":
        return cls(message or str(exc), reason=exc.reason, source_id=exc.source_id)


@dataclass
class BuildResult:
    path: Path
    skipped: bool  # True when the inputs were unchanged and nothing was written
    seconds: float
    row_counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # repairs and omissions to log (the geometry step's)


def _code_files() -> list[Path]:
    pkg = ROOT / "atlas"
    return sorted([pkg / "build.py", pkg / "live" / "store.py", pkg / "admin" / "store.py",
                   *(pkg / "sources").rglob("*.py"), pkg / "geo" / "prepare.py",
                   *(QUERIES_DIR / "derived").glob("*.sql")])


def _fingerprint(fetched: list[FetchedFile], manifest: Path, live: list[str] = ()) -> str:
    h = hashlib.sha256(SCHEMA_VERSION.encode())
    for part in live:  # data/live files (atlas.live.store.fingerprint_parts)
        h.update(part.encode())
    h.update(sha256_file(manifest).encode())
    for f in fetched:
        h.update(f"{f.source.id}:{f.sha256}".encode())
    for name in CURATED_FILES:
        p = CURATED_DIR / name
        h.update(f"{name}:{sha256_file(p) if p.exists() else '-'}".encode())
    for p in _code_files():
        h.update(f"{p.name}:{sha256_file(p)}".encode())
    return h.hexdigest()



def _noop(_: float, __: str) -> None:
    pass


def build(db: Path | None = None, *, mirror: Path | None | object = FROM_ENV, force: bool = False,
          progress: Progress = _noop, manifest: Path = MANIFEST_PATH,
          live_dir: Path | None | object = FROM_ENV, history_from: Path | None = None,
          trigger: str = "build") -> BuildResult:
    """Build the database; return what was done. Raises BuildError naming the failing input.

    live_dir: folder of live files (default $ATLAS_LIVE_DIR or data/live; None: none), read after
    the manifest sources and preferred over them where observations overlap. Waits for any other
    writer in the folder first (progress step "wait"). history_from: the database whose version
    history and values this build's change log continues (default: ``db`` itself; an update builds
    beside it). trigger: "build" | "update" | "admin", recorded with the version (atlas.versions).
    """
    t0 = time.perf_counter()
    db = Path(db or db_path())
    with writer_lock(db, on_wait=lambda: progress(0.0, "wait")):
        return _build_locked(db, t0, mirror=mirror, force=force, progress=progress, manifest=manifest,
                             live_dir=live_dir, history_from=history_from, trigger=trigger)


def _build_locked(db: Path, t0: float, *, mirror, force: bool, progress: Progress, manifest: Path,
                  live_dir, history_from: Path | None = None, trigger: str = "build") -> BuildResult:
    from atlas.live import store as live_store
    from atlas.sources.parsers import PARSERS

    sources = load_manifest(manifest)
    fetched: list[FetchedFile] = []
    for i, src in enumerate(sources):
        progress(0.5 * i / len(sources), f"fetch:{src.id}")
        try:
            fetched.append(fetch(src, mirror=mirror))
        except SourceError as exc:
            raise BuildError.of(exc) from exc

    live = live_store.live_dir(live_dir)
    from atlas.admin import store as admin_store

    # PostgreSQL when configured, else $ATLAS_ADMIN_DB, else the DuckDB file beside the target
    admin_path = admin_store.location(beside=db)
    try:  # the register's content, not a file's bytes: every host with the same register agrees
        admin_part = admin_store.fingerprint_part(admin_path)
    except admin_store.StoreError as exc:
        raise BuildError(f"The admin register could not be read: {exc}", reason="write") from exc
    fp = _fingerprint(fetched, manifest, [*live_store.fingerprint_parts(live), admin_part])
    fp_file = fingerprint_path(db)
    if not force and db.exists() and fp_file.exists():
        try:
            if json.loads(fp_file.read_text()).get("fingerprint") == fp:
                progress(1.0, "unchanged")
                return BuildResult(db, True, time.perf_counter() - t0)
        except (OSError, ValueError):
            pass  # unreadable fingerprint: rebuild

    try:  # live files first: they are the newest, so their rows are the preferred ones
        parsed: list[tuple[FetchedFile, pd.DataFrame]] = live_store.load_live(live)
    except SourceError as exc:
        raise BuildError.of(exc) from exc
    for i, f in enumerate(fetched):
        progress(0.5 + 0.35 * i / len(fetched), f"parse:{f.source.id}")
        parser = PARSERS.get(f.source.parser)
        if parser is None:
            raise BuildError(f"Source '{f.source.id}': unknown parser '{f.source.parser}' in sources.toml.",
                             reason="format", source_id=f.source.id)
        try:
            parsed.append((f, parser(f.path, **f.source.options)))
        except SourceError as exc:
            raise BuildError(f"Source '{f.source.id}': {exc}", reason=exc.reason, source_id=f.source.id) from exc
        except Exception as exc:  # a parser bug or an unexpected file: still name the source
            raise BuildError(f"Source '{f.source.id}': could not be read ({type(exc).__name__}: {exc}).",
                             reason="format", source_id=f.source.id) from exc

    progress(0.85, "write")
    db.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_name(db, "tmp")
    try:
        built_at = utc_now()  # one time for the meta table and the fingerprint file
        counts, notes = _write(tmp, parsed, fp, admin_path, built_at)
        from atlas import versions  # the version id and change log against the database in use
        versions.record(tmp, history_from or db, trigger=trigger)
        write_fingerprint(tmp, {"fingerprint": fp, "built_at": built_at})
        install(tmp, db)
    except BuildError:
        raise
    except Exception as exc:
        raise BuildError(f"Writing the database failed ({type(exc).__name__}: {exc}); "
                         f"the previous database (if any) is unchanged.", reason="write") from exc
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal"), fingerprint_path(tmp)):
            leftover.unlink(missing_ok=True)
    progress(1.0, "done")
    for note in notes:
        _log.warning("geometry: %s", note)
    return BuildResult(db, False, time.perf_counter() - t0, counts, notes)


def _temp_name(db: Path, kind: str) -> Path:
    """A side file beside ``db`` no other process or thread can be using (pid, thread, random)."""
    return db.with_name(f".{db.name}.{kind}-{os.getpid()}-{threading.get_ident()}-{uuid.uuid4().hex[:8]}")


def write_fingerprint(db: Path, record: dict) -> None:
    """Write ``record`` plus the file's own sha256 beside ``db`` (before ``db`` is swapped in, so the
    checksum always describes the bytes it sits beside)."""
    path = fingerprint_path(db)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps({**record, "db_sha256": sha256_file(db)}))
    os.replace(tmp, path)


def install(built: Path, db: Path) -> None:
    """Swap a finished database file and its fingerprint into place as ``db``; the file it replaces
    becomes the last good database (``previous_path``). Under the exclusive swap lock: readers,
    which check a new file under the shared lock, see either the old pair or the new, never a mix."""
    with swap_lock(db, shared=False):
        if db.exists():
            prev = previous_path(db)
            keep = _temp_name(db, "prev")
            try:
                os.link(db, keep)  # the old bytes stay at the old inode: nothing is copied
            except OSError:
                shutil.copy2(db, keep)
            os.replace(keep, prev)
            if fingerprint_path(db).exists():
                shutil.copyfile(fingerprint_path(db), fingerprint_path(prev))
        os.replace(fingerprint_path(built), fingerprint_path(db))
        os.replace(built, db)


def _kind(df: pd.DataFrame) -> str:
    cols = set(df.columns)
    if set(OBSERVATION_COLUMNS) <= cols:
        return "observation"
    if "geometry" in cols:
        return "region"
    if "yb_concept_id" in cols:
        return "occupation"
    raise BuildError(f"A parser returned an unknown table shape: {sorted(cols)}")


def _read_curated_csv(name: str) -> pd.DataFrame:
    path = CURATED_DIR / name
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except Exception as exc:
        raise BuildError(f"Curated file data/curated/{name} could not be read: {exc}") from exc


def _regions(parsed_regions: list[pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """The region table, the geometry table (atlas.geo.prepare) and the geometry step's notes."""
    from atlas.geo.prepare import prepare  # geopandas: loaded by the build, never by a page

    lan = _read_curated_csv("lan.csv")
    polys = pd.concat(parsed_regions, ignore_index=True) if parsed_regions else pd.DataFrame(
        columns=["region_code", "name", "level", "parent_code", "geometry"])
    kommun = polys[polys["level"] == "kommun"]
    region = pd.concat([
        pd.DataFrame({"code": ["00"], "name": ["Riket"], "name_en": ["Sweden"], "short_name": ["Riket"],
                      "short_name_en": ["Sweden"], "level": ["riket"], "parent_code": [None]}),
        pd.DataFrame({"code": lan["code"], "name": lan["name_sv"], "name_en": lan["name_en"],
                      "short_name": lan["short_name_sv"], "short_name_en": lan["short_name_sv"],
                      "level": "lan", "parent_code": "00"}),
        pd.DataFrame({"code": kommun["region_code"], "name": kommun["name"], "name_en": kommun["name"],
                      "short_name": kommun["name"], "short_name_en": kommun["name"],
                      "level": "kommun", "parent_code": kommun["parent_code"]}),
    ], ignore_index=True)
    prepared = prepare(kommun, polys[polys["level"] == "lan"])
    return region, prepared.table, [str(n) for n in prepared.notes]


def _catalogue() -> pd.DataFrame:
    path = CURATED_DIR / "indicators.yml"
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    except Exception as exc:
        raise BuildError(f"data/curated/indicators.yml could not be read: {exc}") from exc
    rows = []
    for e in entries:
        rows.append({
            "id": e["id"], "label_sv": e["label_sv"], "label_en": e["label_en"], "unit": e["unit"],
            "decimals": int(e.get("decimals", 1)), "frequency": e["frequency"],
            "definition_sv": e["definition_sv"], "definition_en": e["definition_en"],
            "source_ids": ",".join(e["source"] if isinstance(e["source"], list) else [e["source"]]),
            "higher_is_better": e.get("higher_is_better"),
            "categories_en": json.dumps(e.get("categories_en") or {}, ensure_ascii=False),
            "live_only": bool(e.get("live_only", False)),
            "series_breaks": ",".join(str(b["period"]) for b in e.get("series_breaks") or []),
        })
    return pd.DataFrame(rows)


def _loaded_sources(indicator: pd.DataFrame, obs: pd.DataFrame, loaded: set[str]) -> list[str]:
    """Per indicator, the sources of this build it comes from: those its rows carry, in load order
    (a live dataset before the mirror file it supersedes), then the catalogue's other sources that
    were loaded. A live_only indicator names its live dataset in the catalogue (live_<key>), which is
    replaced by the loaded one (live_<key>_<county>); without an update it keeps the catalogue's name."""
    carried: dict[str, list[str]] = {}
    for ind, src in obs[["indicator_id", "source_id"]].drop_duplicates().itertuples(index=False):
        carried.setdefault(ind, []).append(src)
    out = []
    for iid, listed in zip(indicator["id"], indicator["source_ids"]):
        ids = carried.get(iid, []) + [s for s in listed.split(",") if s in loaded]
        out.append(",".join(dict.fromkeys(ids)) if ids else listed)
    return out


def _period_date(period: pd.Series) -> pd.Series:
    month = period.str.extract(r"^(\d{4})M(\d{2})$")
    year = period.str.extract(r"^(\d{4})$")[0]
    text = month[0].where(month[0].isna(), month[0] + "-" + month[1] + "-01")
    text = text.fillna(year + "-01-01")
    return pd.to_datetime(text, format="%Y-%m-%d").dt.date


def _write(tmp: Path, parsed: list[tuple[FetchedFile, pd.DataFrame]], fp: str,
           admin_path: Path | str | None = None, built_at: str | None = None) -> tuple[dict[str, int], list[str]]:
    obs_parts, region_parts, occ_parts, source_rows = [], [], [], []
    for f, df in parsed:
        kind = _kind(df)
        source_rows.append({
            "id": f.source.id, "publisher": f.source.publisher, "title_sv": f.source.title_sv,
            "title_en": f.source.title_en, "url": f.source.url, "licence": f.source.licence,
            "sha256": f.sha256, "bytes": f.size, "retrieved_at": f.retrieved_at, "origin": f.origin,
            "rows": len(df), "kind": kind,
            "api": str(f.source.options.get("api") or "") if f.origin == "live" else "",  # which API delivered it
        })
        df = df.copy()
        df["source_id"] = f.source.id
        {"observation": obs_parts, "region": region_parts, "occupation": occ_parts}[kind].append(df)

    region, geometry, notes = _regions(region_parts)
    indicator = _catalogue()
    obs = pd.concat(obs_parts, ignore_index=True)
    # Overlapping sources (e.g. an older vintage of the county series that SCB has since revised)
    # are all kept so a comparison can stay within one vintage; the first in manifest order (the
    # newest file) is marked preferred, and the default queries read only preferred rows.
    obs["preferred"] = ~obs.duplicated(["indicator_id", "region_code", "period", "sex", "category"], keep="first")
    unknown_regions = set(obs["region_code"]) - set(region["code"])
    if unknown_regions:
        bad = obs[obs["region_code"].isin(unknown_regions)]["source_id"].unique()
        raise BuildError(f"Unknown region codes {sorted(unknown_regions)[:5]} in source(s) {list(bad)}.")
    unknown_ind = set(obs["indicator_id"]) - set(indicator["id"])
    if unknown_ind:
        raise BuildError(f"Indicators missing from data/curated/indicators.yml: {sorted(unknown_ind)}")
    indicator["source_ids"] = _loaded_sources(indicator, obs, {r["id"] for r in source_rows})
    obs["period_type"] = obs["period"].str.contains("M").map({True: "month", False: "year"})
    obs["period_date"] = _period_date(obs["period"])
    obs = obs[["indicator_id", "region_code", "period", "period_type", "period_date", "sex",
               "category", "value", "source_id", "preferred"]]

    # The admin store (pages/admin.py), when one exists, is the current ASF register; the committed
    # curated CSVs are its seed and are used until an admin has saved a change.
    from atlas.admin import store as admin_store

    try:
        admin = admin_store.current_tables(admin_path) if admin_path is not None else None
    except admin_store.StoreError as exc:
        raise BuildError(f"The admin register could not be read: {exc}", reason="write") from exc
    curated = {
        "asf_register": admin["asf_register"] if admin else _read_curated_csv("asf_register.csv"),
        "asf_facts": admin["asf_facts"] if admin else _read_curated_csv("asf_facts.csv"),
        "asf_county_totals": _read_curated_csv("asf_county_totals.csv"),
        "asf_support_organisation": _read_curated_csv("asf_support_organisations.csv"),
    }
    source_rows.append({
        "id": "curated_asf", "publisher": "Inkluderingsatlas (sammanställning av offentliga källor)",
        "title_sv": "Arbetsintegrerande sociala företag i Dalarna: register och uppgifter, varje rad med egen källa",
        "title_en": "Work-integrating social enterprises in Dalarna: register and facts, each row with its own source",
        "url": "data/curated/", "licence": "Sammanställning: CC BY 4.0; se varje rads källa",
        "sha256": (admin_store.register_digest(admin)[0] if admin else
                   hashlib.sha256(b"".join((CURATED_DIR / n).read_bytes() for n in CURATED_FILES[2:])).hexdigest()),
        "bytes": (admin_store.register_digest(admin)[1] if admin else
                  sum((CURATED_DIR / n).stat().st_size for n in CURATED_FILES[2:])),
        "retrieved_at": None, "origin": "admin" if admin else "curated",
        "rows": sum(len(d) for d in curated.values()),
        "kind": "curated", "api": "",
    })
    source = pd.DataFrame(source_rows)
    occupation = pd.concat(occ_parts, ignore_index=True) if occ_parts else pd.DataFrame()
    if not occupation.empty:  # a live Yrkesbarometern repeats the mirror's release: keep the first (live)
        occupation = occupation.drop_duplicates(["omgang", "region_code", "yb_concept_id"], keep="first")
    meta = pd.DataFrame({"key": ["fingerprint", "built_at", "schema_version"],
                         "value": [fp, built_at or utc_now(), SCHEMA_VERSION]})

    con = duckdb.connect(str(tmp))
    try:
        tables = {"region": region, "geometry": geometry, "indicator": indicator,
                  "observation": obs, "source": source, "occupation_outlook": occupation,
                  "meta": meta, **curated}
        for name, frame in tables.items():
            con.from_df(frame).create(name)
        _cast_asf(con)
        con.execute("CREATE INDEX obs_ind ON observation(indicator_id, region_code)")
        create_derived_tables(con)
        counts = {n: con.table(n).shape[0] for n in [*tables, *DERIVED_TABLES]}
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return counts, notes


def create_derived_tables(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create the tables derived from ``observation`` (queries/derived/<name>.sql, in
    DERIVED_TABLES order); the build and the benchmark's national database call this after writing
    it. Derived, never edited: what does not depend on a page's parameters is computed once here
    (each file's header says why and what it reads)."""
    for name in DERIVED_TABLES:
        con.execute(derived_sql(name))


def derived_sql(name: str) -> str:
    """The CREATE statement of a derived table (its file in queries/derived/)."""
    return (QUERIES_DIR / "derived" / f"{name}.sql").read_text(encoding="utf-8")


def _cast_asf(con: duckdb.DuckDBPyConnection) -> None:
    """Curated CSVs are read as text; give their numeric columns real types (empty -> NULL)."""
    numeric = {
        "asf_register": {"year_of_statement": "INTEGER", "founded_year": "INTEGER"},
        "asf_facts": {"year": "INTEGER", "value": "DOUBLE", "value_low": "DOUBLE", "value_high": "DOUBLE"},
        "asf_county_totals": {"year": "INTEGER", "n_asf": "INTEGER", "employees": "INTEGER",
                              "work_training": "INTEGER", "people_occupied": "INTEGER",
                              "turnover_msek": "DOUBLE"},
    }
    for table, cols in numeric.items():
        existing = {r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]).fetchall()}
        for col, typ in cols.items():
            if col in existing:  # identifiers come from the fixed dict above, never from input
                q = _quote_ident
                con.execute("ALTER TABLE " + q(table) + " ALTER " + q(col) + " TYPE " + typ
                            + " USING CAST(NULLIF(trim(" + q(col) + "), '') AS " + typ + ")")


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
