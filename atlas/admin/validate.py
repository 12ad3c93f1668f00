"""Validate an uploaded register file (CSV or XLSX bytes) before anything is written.

The register file is one flat table: one row per enterprise and year. Enterprise columns repeat on
each of an enterprise's rows; the yearly facts (employees, people in work training, turnover) and
the row's source sit beside them. A row without a year carries only the enterprise.

``validate(data, file_name, kommun_codes)`` returns a ``Validation``: the problems (file row as the
user sees it, column as written in the file, message key under ``admin.err.*`` and its parameters)
and, when there are none, the enterprise and fact tables in the admin store's shape. Pure: no
Streamlit, no database access (the caller passes the kommun codes of the loaded regions).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

MAX_BYTES = 2 * 1024 * 1024  # larger files are rejected before parsing
MAX_PROBLEMS = 500  # enough to fix a file; the rest are counted, not listed
MAX_TEXT = 1000  # characters in one free-text cell
FIRST_YEAR = 1850
COMPANY_SOURCE = "uppgift från företaget"  # the literal for facts the enterprise itself gave
EXAMPLE_NAME = "EXEMPEL – ta bort denna rad"  # the template's example row; rejected if left in

# (column in the file, field in the store, English alternatives accepted in the header).
# The one place the register file's columns are defined: the validator, the template and the
# export of the current state all use it.
COLUMNS: list[tuple[str, str, tuple[str, ...]]] = [
    ("id", "asf_id", ("asf_id",)),
    ("namn", "name", ("name",)),
    ("organisationsnummer", "orgnr", ("orgnr", "organisation_number", "org_number")),
    ("kommunkod", "kommun_code", ("kommun_code", "municipality_code")),
    ("ort", "town", ("town",)),
    ("verksamhet", "lines_of_business", ("lines_of_business", "line_of_business")),
    ("tjänster_till_köpare", "services", ("services", "services_to_buyers")),
    ("kontaktsida", "contact_url", ("contact_url", "contact_page")),
    ("juridisk_form", "legal_form", ("legal_form",)),
    ("grundat_år", "founded_year", ("founded_year", "founded")),
    ("år", "year", ("year",)),
    ("anställda", "anstallda", ("employees",)),
    ("arbetsträning", "arbetstraning", ("work_training", "in_work_training")),
    ("omsättning_tkr", "omsattning_tkr", ("turnover_tkr", "turnover_ksek", "turnover_sek_thousands")),
    ("källa", "source", ("source",)),
    ("källdatum", "source_date", ("source_date",)),
]
FILE_COLUMNS = [c for c, _, _ in COLUMNS]
FIELD_OF = {c: f for c, f, _ in COLUMNS}
COLUMN_OF = {f: c for c, f, _ in COLUMNS}
ENTERPRISE_FIELDS = ["asf_id", "name", "orgnr", "kommun_code", "town", "lines_of_business", "services",
                     "contact_url", "legal_form", "founded_year"]
MEASURES = ["anstallda", "arbetstraning", "omsattning_tkr"]  # fact.measure values set by the admin
PEOPLE = {"anstallda", "arbetstraning"}  # counts of persons: whole numbers
ENTERPRISE_COLS = ENTERPRISE_FIELDS + ["source_url", "source_note", "source_date"]
FACT_COLS = ["asf_id", "year", "measure", "value", "source_url", "source_note", "source_date"]

_ALIASES = {a: c for c, _, alts in COLUMNS for a in (c, *alts)}
_FORMULA = ("=", "+", "-", "@")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.I)
_ID = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Problem:
    row: int | None  # row number in the file (header = 1); None for the whole file
    column: str | None  # the column as the file names it; None for the whole row or file
    key: str  # message key under admin.err.
    params: dict = field(default_factory=dict)


@dataclass
class Validation:
    problems: list[Problem]
    enterprise: pd.DataFrame | None = None  # ENTERPRISE_COLS, text, "" for empty
    fact: pd.DataFrame | None = None  # FACT_COLS, text, "" for empty
    rows: int = 0  # data rows read
    sha256: str = ""
    omitted: int = 0  # problems found beyond MAX_PROBLEMS

    @property
    def ok(self) -> bool:
        return not self.problems


def luhn_ok(digits: str) -> bool:
    """True when the 10-digit organisationsnummer passes the Luhn check (last digit = check digit)."""
    total = 0
    for i, ch in enumerate(digits[:-1]):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return (10 - total % 10) % 10 == int(digits[-1])


def slug(name: str) -> str:
    """A stable id from a name: 'Hela Heten' -> 'hela_heten' (å, ä, ö folded to a, a, o)."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", folded).strip("_")


# --- Reading bytes into rows ---------------------------------------------------------------------

def _decode(data: bytes) -> tuple[str | None, Problem | None]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, Problem(None, None, "encoding_utf16")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), None
        except UnicodeDecodeError:
            return None, Problem(None, None, "encoding_unknown")
    if b"\x00" in data:
        return None, Problem(None, None, "binary")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:  # bytes that cp1252 leaves undefined: neither encoding fits
        return None, Problem(None, None, "encoding_unknown")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t")
    if controls:
        return None, Problem(None, None, "binary")
    return text, None


def _csv_rows(text: str) -> tuple[list[tuple[int, list[str]]], str | None, Problem | None]:
    header_line = text.splitlines()[0] if text.splitlines() else ""
    commas, semis = header_line.count(","), header_line.count(";")
    if not commas and not semis and "\t" in header_line:
        return [], None, Problem(1, None, "separator_unknown")
    sep = ";" if semis > commas else ","
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
        rows = [(reader.line_num, r) for r in reader]
    except csv.Error as exc:
        return [], sep, Problem(None, None, "csv_broken", {"error": str(exc)[:200]})
    # Row numbers as a spreadsheet shows them: the n-th record is row n.
    return [(i + 1, r) for i, (_, r) in enumerate(rows)], sep, None


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "date") and callable(value.date):  # datetime from a date-formatted cell
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _xlsx_rows(data: bytes) -> tuple[list[tuple[int, list[str]]], Problem | None]:
    import openpyxl  # only needed for spreadsheets

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # a zip that is not a workbook, a damaged file...
        return [], Problem(None, None, "xlsx_unreadable")
    try:
        ws = wb.worksheets[0]
        rows = [(i, [_cell_text(v) for v in r]) for i, r in enumerate(ws.iter_rows(values_only=True), 1)]
    finally:
        wb.close()
    while rows and not any(c.strip() for c in rows[-1][1]):
        rows.pop()
    return rows, None


# --- Cell rules ---------------------------------------------------------------------------------

def _number(raw: str) -> float | None:
    """'1 234,5' / '1234.5' / '1.234,5' -> 1234.5; None when not a number."""
    s = raw.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if "," in s and "." in s:
        s = s.replace(".", "").replace(",", ".")
    elif "," in s:
        if s.count(",") > 1:
            return None
        s = s.replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", s):
        return None
    return float(s)


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _is_formula(raw: str) -> bool:
    return raw.startswith(_FORMULA) and _number(raw) is None


class _Row:
    """Checks one data row; appends problems; returns the cleaned field values."""

    def __init__(self, n: int, cells: dict[str, str], kommun_codes: set[str], problems: list[Problem]):
        self.n, self.cells, self.kommun_codes, self.problems = n, cells, kommun_codes, problems

    def err(self, field_name: str | None, key: str, **params) -> None:
        self.problems.append(Problem(self.n, COLUMN_OF.get(field_name) if field_name else None, key, params))

    def year(self, f: str, this_year: int) -> str:
        raw = self.cells[f]
        if not raw:
            return ""
        x = _number(raw)
        if x is None or not x.is_integer():
            self.err(f, "not_year", value=raw[:40])
            return ""
        if not FIRST_YEAR <= x <= this_year:
            self.err(f, "year_range", value=_fmt(x), first=FIRST_YEAR, last=this_year)
            return ""
        return _fmt(x)

    def amount(self, f: str) -> str:
        raw = self.cells[f]
        if not raw:
            return ""
        x = _number(raw)
        if x is None:
            self.err(f, "not_number", value=raw[:40])
            return ""
        if x < 0:
            self.err(f, "negative", value=raw[:40])
            return ""
        if f in PEOPLE and not x.is_integer():
            self.err(f, "not_integer", value=raw[:40])
            return ""
        return _fmt(x)

    def check(self, today: date) -> dict[str, str] | None:
        c, before = self.cells, len(self.problems)
        for f, raw in c.items():
            if _is_formula(raw):
                self.err(f, "formula", value=raw[:40])
            elif len(raw) > MAX_TEXT:
                self.err(f, "too_long", max=MAX_TEXT)
        if len(self.problems) > before:
            return None
        out = {f: "" for f in FIELD_OF.values()}
        name = c["name"]
        if not name:
            self.err("name", "required")
        elif name == EXAMPLE_NAME:
            self.err("name", "example_row")
        out["name"] = name
        asf_id = c["asf_id"] or slug(name)
        if c["asf_id"] and not _ID.match(c["asf_id"]):
            self.err("asf_id", "bad_id", value=c["asf_id"][:40])
        out["asf_id"] = asf_id
        if c["orgnr"]:
            digits = re.sub(r"^(\d{6})-(\d{4})$", r"\1\2", c["orgnr"])
            if not re.fullmatch(r"\d{10}", digits):
                self.err("orgnr", "orgnr_format", value=c["orgnr"][:40])
            elif not luhn_ok(digits):
                self.err("orgnr", "orgnr_checksum", value=c["orgnr"])
            else:
                out["orgnr"] = f"{digits[:6]}-{digits[6:]}"
        if c["kommun_code"]:
            code = c["kommun_code"]
            code = code.zfill(4) if re.fullmatch(r"\d{3}", code) else code  # Excel drops a leading 0
            if not re.fullmatch(r"\d{4}", code):
                self.err("kommun_code", "kommun_format", value=code[:40])
            elif code not in self.kommun_codes:
                self.err("kommun_code", "kommun_unknown", value=code)
            else:
                out["kommun_code"] = code
        for f in ("town", "lines_of_business", "services", "legal_form"):
            out[f] = c[f]
        if c["contact_url"] and not _URL.match(c["contact_url"]):
            self.err("contact_url", "bad_url", value=c["contact_url"][:80])
        out["contact_url"] = c["contact_url"]
        out["founded_year"] = self.year("founded_year", today.year)
        out["year"] = self.year("year", today.year)
        for m in MEASURES:
            out[m] = self.amount(m)
        if not c["year"] and any(c[m] for m in MEASURES):
            self.err("year", "year_required")
        if out["year"] and out["founded_year"] and int(out["year"]) < int(out["founded_year"]):
            self.err("year", "year_before_founded", year=out["year"], founded=out["founded_year"])
        self.source(out, today)
        return out if len(self.problems) == before else None

    def source(self, out: dict[str, str], today: date) -> None:
        src, when = self.cells["source"], self.cells["source_date"]
        if when:
            try:
                d = date.fromisoformat(when) if _DATE.match(when) else None
            except ValueError:
                d = None
            if d is None:
                self.err("source_date", "bad_date", value=when[:40])
            elif d > today:
                self.err("source_date", "future_date", value=when)
            else:
                out["source_date"] = when
        if not src:
            self.err("source", "source_required")
        elif src.strip().lower() in (COMPANY_SOURCE, "information from the company"):
            out["source"] = COMPANY_SOURCE
            if not when:
                self.err("source_date", "date_required")
        elif _URL.match(src):
            out["source"] = src
        else:
            self.err("source", "bad_source", value=src[:80], literal=COMPANY_SOURCE)


# --- The whole file -------------------------------------------------------------------------------

def validate(data: bytes, file_name: str = "", kommun_codes: set[str] | frozenset = frozenset(),
             today: date | None = None) -> Validation:
    """Read and check a register file; see the module docstring. ``file_name`` decides XLSX vs CSV
    together with the bytes' signature; ``kommun_codes``: the 4-digit codes a row may use."""
    today = today or date.today()
    sha = hashlib.sha256(data).hexdigest()
    res = Validation([], sha256=sha)
    if len(data) > MAX_BYTES:
        res.problems.append(Problem(None, None, "too_large", {"size_mb": f"{len(data) / 1048576:.1f}",
                                                              "max_mb": f"{MAX_BYTES / 1048576:.0f}"}))
        return res
    if not data.strip(b" \r\n\t\xef\xbb\xbf"):
        res.problems.append(Problem(None, None, "empty_file"))
        return res
    if data.startswith(b"PK\x03\x04") or file_name.lower().endswith((".xlsx", ".xlsm")):
        rows, problem = _xlsx_rows(data)
    elif data.startswith((b"%PDF", b"\xd0\xcf\x11\xe0")):  # PDF, old binary .xls
        rows, problem = [], Problem(None, None, "binary")
    else:
        text, problem = _decode(data)
        rows = []
        if text is not None:
            rows, _, problem = _csv_rows(text)
    if problem:
        res.problems.append(problem)
        return res
    rows = [(n, [str(c).strip() for c in r]) for n, r in rows]
    rows = [(n, r) for n, r in rows if any(r)] if rows else rows
    if not rows:
        res.problems.append(Problem(None, None, "empty_file"))
        return res

    header_n, header = rows[0]
    while header and not header[-1]:  # trailing empty header cells (a stray separator)
        header.pop()
    cols = [_ALIASES.get(h.strip().lower(), None) for h in header]
    unknown = [h for h, c in zip(header, cols) if c is None]
    dupes = sorted({c for c in cols if c and cols.count(c) > 1})
    missing = [c for c in FILE_COLUMNS if c not in cols]
    if unknown:
        res.problems.append(Problem(header_n, None, "unknown_columns", {"columns": ", ".join(unknown)[:300]}))
    if dupes:
        res.problems.append(Problem(header_n, None, "duplicate_columns", {"columns": ", ".join(dupes)}))
    if missing:
        res.problems.append(Problem(header_n, None, "missing_columns", {"columns": ", ".join(missing)}))
    if res.problems:
        return res
    body = rows[1:]
    if not body:
        res.problems.append(Problem(None, None, "no_rows"))
        return res
    res.rows = len(body)

    problems: list[Problem] = []
    clean: list[tuple[int, dict[str, str]]] = []
    for n, cells in body:
        if len(cells) > len(header) and any(cells[len(header):]):
            problems.append(Problem(n, None, "too_many_cells", {"expected": len(header), "found": len(cells)}))
            continue
        cells = cells + [""] * (len(header) - len(cells))
        row = _Row(n, {FIELD_OF[c]: v for c, v in zip(cols, cells)}, set(kommun_codes), problems)
        out = row.check(today)
        if out is not None:
            clean.append((n, out))
    problems.extend(_duplicates(clean))
    if problems:
        res.problems = problems[:MAX_PROBLEMS]
        res.omitted = max(0, len(problems) - MAX_PROBLEMS)
        return res
    res.enterprise, res.fact = _tables(clean)
    return res


def _duplicates(clean: list[tuple[int, dict[str, str]]]) -> list[Problem]:
    out: list[Problem] = []
    seen_key: dict[tuple[str, str], int] = {}
    first_of: dict[str, tuple[int, dict[str, str]]] = {}
    orgnr_of: dict[str, tuple[str, int]] = {}
    for n, r in clean:
        key = (r["asf_id"], r["year"])
        if key in seen_key:
            k = "duplicate_year" if r["year"] else "duplicate_row"
            out.append(Problem(n, COLUMN_OF["year" if r["year"] else "asf_id"], k,
                               {"id": r["asf_id"], "year": r["year"], "first": seen_key[key]}))
            continue
        seen_key[key] = n
        if r["asf_id"] in first_of:
            n0, r0 = first_of[r["asf_id"]]
            for f in ENTERPRISE_FIELDS:
                if r[f] and r0[f] and r[f] != r0[f]:  # an empty cell on a later row repeats the first
                    out.append(Problem(n, COLUMN_OF[f], "conflict", {"id": r["asf_id"], "first": n0}))
        else:
            first_of[r["asf_id"]] = (n, r)
        if r["orgnr"]:
            other = orgnr_of.setdefault(r["orgnr"], (r["asf_id"], n))
            if other[0] != r["asf_id"]:
                out.append(Problem(n, COLUMN_OF["orgnr"], "duplicate_orgnr",
                                   {"value": r["orgnr"], "first": other[1]}))
    return out


def _tables(clean: list[tuple[int, dict[str, str]]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    ent: dict[str, dict[str, str]] = {}
    facts: list[dict[str, str]] = []
    for _, r in clean:
        src_url = r["source"] if r["source"] != COMPANY_SOURCE else ""
        src_note = COMPANY_SOURCE if r["source"] == COMPANY_SOURCE else ""
        e = ent.setdefault(r["asf_id"], {**{f: r[f] for f in ENTERPRISE_FIELDS}, "source_url": src_url,
                                        "source_note": src_note, "source_date": r["source_date"]})
        for f in ENTERPRISE_FIELDS:  # later rows may fill what the first left empty
            e[f] = e[f] or r[f]
        for m in MEASURES:
            if r[m]:
                facts.append({"asf_id": r["asf_id"], "year": r["year"], "measure": m, "value": r[m],
                              "source_url": src_url, "source_note": src_note, "source_date": r["source_date"]})
    enterprise = pd.DataFrame(list(ent.values()), columns=ENTERPRISE_COLS)
    fact = pd.DataFrame(facts, columns=FACT_COLS)
    return enterprise, fact


def problems_frame(problems: list[Problem], render) -> pd.DataFrame:
    """The problems as a table (row, column, message); ``render(problem) -> str`` localises."""
    return pd.DataFrame({"row": [p.row if p.row is not None else "" for p in problems],
                         "column": [p.column or "" for p in problems],
                         "message": [render(p) for p in problems]})
