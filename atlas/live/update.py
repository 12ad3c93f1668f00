"""``run_update``: fetch live datasets, stage them, and commit + rebuild only when all succeeded.

Order of events (nothing in data/live or the database changes before step 4):
1. every requested dataset is fetched and converted into a staging folder beside data/live
   (Parquet + sidecar); the first failure stops the run unless ``partial``;
2. a dataset whose raw responses hash the same as the sidecar already in data/live is "unchanged"
   and its staged copy is dropped; when nothing changed the run ends here ("no new data");
3. the database is built by ``atlas.build.build`` into a file beside the target, from the mirror /
   manifest sources plus a candidate live folder (current files + the changed ones);
4. only when that build succeeded are the staged files moved into data/live (os.replace per file)
   and the new database renamed over the old one together with its fingerprint.
A failure at any step leaves data/live and the database byte-identical and names the dataset.
"""

from __future__ import annotations

import fcntl
import hashlib
import re
import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml

from atlas import CURATED_DIR
from atlas.build import BuildError, _temp_name, build, install
from atlas.locking import writer_lock
from atlas.paths import db_path, fingerprint_path, swap_lock_path
from atlas.live import store
from atlas.live.datasets import DATASETS, DEFAULT_BASE_URLS, DEFAULT_KEYS, SCB_APIS, Context, place
from atlas.live.http import LiveError, LiveHttp
from atlas.sources import OBSERVATION_COLUMNS, SourceError
from atlas.sources.fetch import FROM_ENV
from atlas.sources.parsers._common import lan_table
from atlas.timestamps import utc_now

Progress = Callable[[float, str], None]
# One deadline for a whole update (every request, retry wait and read counts against it): an
# all-counties run needs about 100 SCB calls at 30 per 10 s plus Kolada and Arbetsförmedlingen,
# minutes at most; an hour means something is wrong, and the update stops with nothing changed.
DEFAULT_DEADLINE_S = 3600.0


@dataclass
class DatasetStatus:
    """status: "updated" (new data committed), "unchanged", "failed", "skipped" (not tried after an
    earlier failure), "discarded" (fetched, but not saved because another dataset failed)."""

    key: str
    id: str
    status: str
    message_sv: str = ""
    message_en: str = ""
    rows: int = 0
    calls: int = 0
    sha256: str = ""

    @property
    def message(self) -> str:
        return f"{self.message_sv} / {self.message_en}" if self.message_sv else ""


@dataclass
class UpdateResult:
    datasets: list[DatasetStatus]
    rebuilt: bool
    db: Path
    live_dir: Path
    seconds: float = 0.0
    message_sv: str = ""
    message_en: str = ""
    row_counts: dict[str, int] = field(default_factory=dict)
    busy: bool = False  # another update held the lock; nothing was tried

    @property
    def ok(self) -> bool:
        return not self.busy and not any(d.status == "failed" for d in self.datasets)

    @property
    def message(self) -> str:
        return f"{self.message_sv} / {self.message_en}"



def _noop(_: float, __: str) -> None:
    pass


def resolve_keys(datasets: list[str] | None) -> list[str]:
    """The dataset keys to run (default: all of them); ValueError for an unknown key."""
    keys = list(datasets) if datasets else list(DEFAULT_KEYS)
    unknown = [k for k in keys if k not in DATASETS]
    if unknown:
        raise ValueError(f"Unknown dataset(s) {unknown}; choose from {sorted(DATASETS)}.")
    return keys


def check_county(county: str) -> str:
    """"all" or a county code from data/curated/lan.csv ("20"); ValueError otherwise."""
    county = str(county).strip()
    if county == "all" or county in set(lan_table()["code"]):
        return county
    raise ValueError(f"Unknown county {county!r}: use a code from data/curated/lan.csv (e.g. '20') or 'all'.")


def check_api(api: str) -> str:
    """"v2", "v1" or "auto"; ValueError otherwise."""
    if api not in SCB_APIS:
        raise ValueError(f"Unknown SCB API {api!r}: use one of {', '.join(SCB_APIS)}.")
    return api


def check_scb_tables(pins: dict[str, str] | None) -> dict[str, str]:
    """{v1 table name: PxWebApi 2 id} for tables the code knows, ids like "TAB1234"; ValueError otherwise."""
    from atlas.live.scb import TABLES

    names = {t.name for t in TABLES}
    out = {}
    for name, tid in (pins or {}).items():
        if name not in names:
            raise ValueError(f"Unknown SCB table {name!r}: use one of {', '.join(sorted(names))}.")
        if not re.fullmatch(r"TAB[0-9A-Za-z]{1,12}", str(tid)):
            raise ValueError(f"{tid!r} is not a PxWebApi 2 table id (like TAB6260).")
        out[name] = str(tid)
    return out


def _catalogue_ids() -> set[str]:
    entries = yaml.safe_load((CURATED_DIR / "indicators.yml").read_text(encoding="utf-8")) or []
    return {e["id"] for e in entries}


def run_update(county: str = "20", *, datasets: list[str] | None = None,
               live_dir: Path | None | object = store.FROM_ENV, db: Path | None = None,
               base_urls: dict[str, str] | None = None, progress: Progress | None = None,
               partial: bool = False, mirror: Path | None | object = FROM_ENV,
               http: LiveHttp | None = None, api: str = "auto", scb_tables: dict[str, str] | None = None,
               deadline_s: float | None = DEFAULT_DEADLINE_S) -> UpdateResult:
    """Fetch, stage, build, commit; see the module docstring. Returns what happened per dataset.

    county: "20" (a code from lan.csv) or "all". datasets: keys of atlas.live.datasets.DATASETS
    (default: all seven). live_dir: default
    $ATLAS_LIVE_DIR or data/live. db: default $ATLAS_DB or data/atlas.duckdb. base_urls: override
    {"scb", "scb_v2", "kolada", "af"} (tests point them at a local server). partial: commit the
    datasets that succeeded even when another failed. mirror: passed to the build. http: a
    configured LiveHttp. api: SCB's API, "v2" | "v1" | "auto" (v2; v1 only when v2 cannot be
    reached). scb_tables: {v1 table name: PxWebApi 2 id} overriding the code's ids and lookups.
    deadline_s: the whole run's time limit (None: none).
    Raises ValueError for an unknown county, dataset key, API or table name; every fetch or build
    problem is reported in the result instead.
    """
    t0 = time.perf_counter()
    progress = progress or _noop
    county = check_county(county)
    keys = resolve_keys(datasets)
    api = check_api(api)
    scb_tables = check_scb_tables(scb_tables)
    folder = store.live_dir(live_dir) or store.DEFAULT_LIVE_DIR
    db = Path(db) if db else db_path()
    statuses = [DatasetStatus(k, DATASETS[k].dataset_id(county), "pending") for k in keys]
    result = UpdateResult(statuses, False, db, folder)

    missing = sorted({i for k in keys for i in DATASETS[k].indicators} - _catalogue_ids())
    if missing:
        for s in statuses:
            if set(DATASETS[s.key].indicators) & set(missing):
                s.status = "failed"
                s.message_sv = f"indikatorerna {missing} saknas i data/curated/indicators.yml."
                s.message_en = f"the indicators {missing} are missing from data/curated/indicators.yml."
            else:
                s.status = "skipped"
        return _finish(result, t0)

    db.parent.mkdir(parents=True, exist_ok=True)
    with _update_lock(db) as locked:
        if not locked:
            for s in statuses:
                s.status = "skipped"
            result.busy = True
            result.message_sv = "En annan uppdatering pågår redan; inget har ändrats."
            result.message_en = "Another update is already running; nothing was changed."
            result.seconds = time.perf_counter() - t0
            return result
        return _locked_update(result, statuses, folder, db, county, base_urls, progress, partial, mirror, http, t0,
                              api=api, scb_tables=scb_tables, deadline_s=deadline_s)


@contextmanager
def _update_lock(db: Path):
    """An exclusive lock beside the database (data/atlas.duckdb.update.lock, git-ignored); released
    by the OS if the process dies. Yields False when another update holds it."""
    with open(db.with_name(db.name + ".update.lock"), "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _locked_update(result: UpdateResult, statuses: list[DatasetStatus], folder: Path, db: Path, county: str,
                   base_urls: dict[str, str] | None, progress: Progress, partial: bool, mirror, http,
                   t0: float, *, api: str, scb_tables: dict[str, str], deadline_s: float | None) -> UpdateResult:
    # Staging sits beside data/live (same file system, so the commit is a rename) and is removed at
    # the end; data/live itself is created only when something is committed. Staging folders left
    # by a killed run are removed first (safe: we hold the lock).
    folder.parent.mkdir(parents=True, exist_ok=True)
    for stale in folder.parent.glob(f".{folder.name}-staging-*"):
        shutil.rmtree(stale, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-staging-", dir=folder.parent))
    tmp_db = _temp_name(db, "update")
    try:
        http = http or LiveHttp()
        http.set_deadline(deadline_s)
        ctx = Context(county, http, {**DEFAULT_BASE_URLS, **(base_urls or {})}, staging / "work", api=api,
                      scb_pins=scb_tables)
        _fetch_all(ctx, statuses, staging, folder, county, partial, progress)
        failed = [s for s in statuses if s.status == "failed"]
        changed = [s for s in statuses if s.status == "staged"]
        if failed and not partial:
            for s in changed:
                s.status, s.message_sv, s.message_en = ("discarded", "hämtat men inte sparat eftersom ett annat "
                                                        "dataset misslyckades.", "fetched but not saved because "
                                                        "another dataset failed.")
            return _finish(result, t0)
        if not changed:
            return _finish(result, t0)

        progress(0.7, "build")
        candidate = store.candidate(folder, staging, [s.id for s in changed], staging / "candidate")
        # Build, commit and swap as the folder's one writer: the build reads the admin register inside
        # the lock, so an admin's save either lands before it (and is in this build) or waits for it
        # (and rebuilds after); a concurrent build never renames a stale file over this one.
        with writer_lock(db, on_wait=lambda: progress(0.7, "build:wait")):
            try:
                built = build(tmp_db, mirror=mirror, force=True, live_dir=candidate, history_from=db,
                              trigger="update", progress=lambda f, step: progress(0.7 + 0.28 * f, f"build:{step}"))
            except BuildError as exc:
                for s in changed:
                    s.status = "failed"
                    s.message_sv = f"databasen kunde inte byggas med de nya uppgifterna: {exc}"
                    s.message_en = f"the database could not be built with the new data: {exc}"
                return _finish(result, t0)
            store.prepare(folder)
            store.commit(staging, folder, [s.id for s in changed])
            install(tmp_db, db)
        for s in changed:
            s.status = "updated"
        result.rebuilt, result.row_counts = True, built.row_counts
        progress(1.0, "done")
        return _finish(result, t0)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        for leftover in (tmp_db, fingerprint_path(tmp_db), swap_lock_path(tmp_db)):
            leftover.unlink(missing_ok=True)


def _fetch_all(ctx: Context, statuses: list[DatasetStatus], staging: Path, folder: Path, county: str,
               partial: bool, progress: Progress) -> None:
    place_sv, place_en = place(county)
    stop = False
    for i, s in enumerate(statuses):
        if stop:
            s.status = "skipped"
            continue
        d = DATASETS[s.key]
        progress(0.7 * i / len(statuses), f"fetch:{s.id}")
        try:
            res = d.fetch(ctx, s.id)
            _check_kind(res.frame, d.kind, s.id)
        except Exception as exc:  # noqa: BLE001 - any failure must be reported, and stop the commit
            if isinstance(exc, LiveError):
                err = ctx.explain(exc) if d.service == "scb" else exc
            elif isinstance(exc, SourceError):
                err = LiveError(f"svaret kunde inte tolkas ({exc}).", f"the response could not be interpreted ({exc}).",
                                kind="format")
            else:  # a bug or an answer no check foresaw: still name the dataset, never half-commit
                err = LiveError(f"oväntat fel ({type(exc).__name__}: {exc}).",
                                f"unexpected error ({type(exc).__name__}: {exc}).", kind="error")
            s.status, s.message_sv, s.message_en = "failed", err.message_sv, err.message_en
            stop = not partial
            continue
        digest = hashlib.sha256(b"".join(res.raws)).hexdigest()
        s.rows, s.calls, s.sha256 = len(res.frame), res.calls, digest
        old = store.read_sidecar(folder, s.id)
        if old is not None and old.sha256 == digest and all(p.exists() for p in store.paths(folder, s.id)):
            s.status = "unchanged"
            continue
        store.write(staging, res.frame, store.Sidecar(
            id=s.id, publisher=d.publisher, title_sv=d.title_sv.format(place_sv=place_sv),
            title_en=d.title_en.format(place_en=place_en), url=res.url, licence=d.licence,
            retrieved_at=utc_now(), sha256=digest, bytes=sum(len(r) for r in res.raws), rows=len(res.frame),
            kind=d.kind, api=res.api))
        s.status = "staged"


def _check_kind(frame, kind: str, dataset_id: str) -> None:
    ok = set(OBSERVATION_COLUMNS) <= set(frame.columns) if kind == "observation" else "yb_concept_id" in frame.columns
    if not ok or frame.empty:
        raise LiveError(f"{dataset_id}: svaret gav inga rader i väntad form.",
                        f"{dataset_id}: the response gave no rows of the expected shape.", kind="format")


def _finish(result: UpdateResult, t0: float) -> UpdateResult:
    result.seconds = time.perf_counter() - t0
    failed = [s for s in result.datasets if s.status == "failed"]
    updated = [s for s in result.datasets if s.status == "updated"]
    if failed:
        first = failed[0]
        kept_sv = (f" {len(updated)} andra dataset sparades (--partial)." if updated else " Inget har ändrats.")
        kept_en = (f" {len(updated)} other dataset(s) were saved (--partial)." if updated else " Nothing was changed.")
        result.message_sv = f"Uppdateringen misslyckades för {first.id}: {first.message_sv}{kept_sv}"
        result.message_en = f"The update failed for {first.id}: {first.message_en}{kept_en}"
    elif updated:
        result.message_sv = f"{len(updated)} dataset uppdaterade; databasen är ombyggd."
        result.message_en = f"{len(updated)} dataset(s) updated; the database was rebuilt."
    else:
        result.message_sv = "Inga nya data; inget har ändrats."
        result.message_en = "No new data; nothing was changed."
    return result
