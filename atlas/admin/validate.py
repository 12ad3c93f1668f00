"""Validate an uploaded register file (CSV or XLSX bytes) before anything is written.

The register file is one flat table: one row per enterprise and year. Enterprise columns repeat on
each of an enterprise's rows; the yearly facts (employees, people in work training, turnover) and
the row's source sit beside them. A row without a year carries only the enterprise.

``validate(data, file_name, kommun_codes)`` returns a ``Validation``: the problems (file row as the
user sees it, column as written in the file, message key under ``admin.err.*`` and its parameters;
the first MAX_PROBLEMS, and a count of the rest) and, when there are none, the enterprise and fact
tables in the admin store's shape. Pure: no Streamlit, no database access (the caller passes the
kommun codes of the register's county).

Everything is bounded before it is parsed: the file's size, its rows and columns (an XLSX is
checked part by part first, atlas.admin.xlsx), the length of a cell and each number's range.
Text that would act on a screen or in a spreadsheet is refused: formulas, control and bidi
characters, line breaks outside the free-text columns.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from atlas.admin import xlsx

MAX_BYTES = 2 * 1024 * 1024  # larger files are rejected before parsing
MAX_PROBLEMS = 500  # enough to fix a file; the rest are counted, not listed
MAX_TEXT = 1000  # characters in one free-text cell
MAX_ROWS = 10_000  # data rows; every Swedish ASF for 25 years would fit
MAX_COLUMNS = 50  # header cells (the file has 16 columns)
FIRST_YEAR = 1850
REGISTER_LAN = "20"  # the register covers Dalarnas län: its kommun codes are the only ones allowed
# (lowest, highest) per yearly measure: ten times the largest Swedish ASF's figures, so a typo or
# a value in the wrong unit (kronor for tkr) is refused instead of stored.
BOUNDS = {"anstallda": (0, 5_000), "arbetstraning": (0, 5_000), "omsattning_tkr": (0, 1_000_000)}
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

MULTILINE = {"lines_of_business", "services"}  # free text where a line break is kept
_NUMERIC = {"founded_year", "year", *MEASURES}

_ALIASES = {a: c for c, _, alts in COLUMNS for a in (c, *alts)}
_FORMULA = ("=", "+", "-", "@")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.I)
_ID = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Characters that change how text around them is shown or read: C0/C1 controls (tab, CR and LF
# aside), bidi embeddings, overrides, isolates and marks (U+202E turns 'gpj.exe' around), line and
# paragraph separators, a byte-order mark inside text, interlinear annotation.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
                      "\u202a-\u202e\u2066-\u2069\ufeff\ufff9-\ufffb]")
_BREAK = re.compile("[\r\n]")


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

_BOM = b"\xef\xbb\xbf"


def _nul_pattern(data: bytes) -> str | None:
    """'utf-16' or 'utf-32' when NUL bytes sit where that encoding puts them for Latin text
    (a file saved without its byte-order mark), else None."""
    head = data[:4096]
    if len(head) < 8:
        return None
    share = [head[i::4].count(0) / len(head[i::4]) for i in range(4)]
    if sum(s > 0.9 for s in share) == 3:
        return "utf-32"
    if min(share[0], share[2]) > 0.9 or min(share[1], share[3]) > 0.9:
        return "utf-16"
    return None


def _decode(data: bytes) -> tuple[str | None, Problem | None]:
    # UTF-32 first: its little-endian mark starts with UTF-16's.
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return None, Problem(None, None, "encoding_utf32")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, Problem(None, None, "encoding_utf16")
    if data.startswith(_BOM + _BOM):
        return None, Problem(None, None, "encoding_double_bom")
    if data.startswith(_BOM):
        try:
            return data[3:].decode("utf-8"), None
        except UnicodeDecodeError:
            return None, Problem(None, None, "encoding_unknown")
    if b"\x00" in data:
        kind = _nul_pattern(data)
        return None, Problem(None, None, {"utf-16": "encoding_utf16", "utf-32": "encoding_utf32"}.get(kind, "binary"))
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), None
    except UnicodeDecodeError:  # bytes that cp1252 leaves undefined: neither encoding fits
        return None, Problem(None, None, "encoding_unknown")


def _csv_rows(text: str) -> tuple[list[tuple[int, list[str]]], Problem | None]:
    header_line = text[:text.find("\n")] if "\n" in text else text
    commas, semis = header_line.count(","), header_line.count(";")
    if not commas and not semis and "\t" in header_line:
        return [], Problem(1, None, "separator_unknown")
    sep = ";" if semis > commas else ","
    rows: list[tuple[int, list[str]]] = []
    try:
        # Row numbers as a spreadsheet shows them: the n-th record is row n.
        for n, r in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=sep), 1):
            if any(c.strip() for c in r):  # empty lines are skipped here, not kept in memory
                if len(rows) > MAX_ROWS:
                    return [], Problem(None, None, "too_many_rows", {"max": MAX_ROWS})
                rows.append((n, r))
    except csv.Error as exc:
        return [], Problem(None, None, "csv_broken", {"error": _shown(str(exc), 200)})
    return rows, None


def _shown(text: str, limit: int = 40) -> str:
    """``text`` cut to ``limit`` characters for a message, control characters written as \\uXXXX."""
    cut = text[:limit] + ("…" if len(text) > limit else "")
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", _BREAK.sub(" ", cut))


def _codepoint(ch: str) -> str:
    return f"U+{ord(ch):04X}"


# --- Cell rules ---------------------------------------------------------------------------------

_SPACES = re.compile("[ \u00a0\u202f\u2009]")  # space, no-break, narrow no-break, thin space
_PLAIN = re.compile(r"(\d*)(?:([.,])(\d*))?")
_GROUPED = re.compile(r"(\d{1,3}(?P<g>[ .,])\d{3}(?:(?P=g)\d{3})*)(?:(?P<d>[.,])(?P<frac>\d+))?")


class NumberError(ValueError):
    """Not a number (``key`` 'not_number') or one that could be read two ways ('ambiguous_number')."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def parse_number(raw: str) -> float:
    """The number in a cell, written the Swedish or the English way: '12,5' and '12.5' -> 12.5;
    '1 234' (space, no-break or narrow no-break space), '1.234.567', '1,234,567', '1 234,5',
    '1.234,5' and '1,234.5' -> thousands grouped as written. A single comma or point followed by
    exactly three digits ('1,234', '1.234') could be either and raises NumberError('ambiguous_number');
    anything else that is not a number raises NumberError('not_number'). Numeric spreadsheet cells
    (xlsx.Number) are taken as stored. May return inf for absurdly long digit strings."""
    if isinstance(raw, xlsx.Number):
        return raw.value
    s = raw.strip().replace("\u2212", "-")  # U+2212 is the typographic minus sign
    sign = 1.0
    if s[:1] in ("+", "-"):
        sign, s = (-1.0 if s[0] == "-" else 1.0), s[1:]
    s = _SPACES.sub(" ", s)
    m = _PLAIN.fullmatch(s)
    if m and (m.group(1) or m.group(3)):
        whole, sep, frac = m.group(1), m.group(2), m.group(3) or ""
        if sep and len(frac) == 3 and 1 <= len(whole) <= 3 and not whole.startswith("0"):
            raise NumberError("ambiguous_number")
        return sign * float(f"{whole or 0}.{frac or 0}")
    m = _GROUPED.fullmatch(s)
    if m and m.group("d") != m.group("g"):
        whole = m.group(1).replace(m.group("g"), "")
        return sign * float(f"{whole}.{m.group('frac') or 0}")
    raise NumberError("not_number")


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _is_formula(raw: str) -> bool:
    if not raw.startswith(_FORMULA):
        return False
    try:
        parse_number(raw)
    except NumberError as exc:
        return exc.key == "not_number"
    return False


class _Problems:
    """The first MAX_PROBLEMS problems, and how many there were in all (``len``)."""

    def __init__(self):
        self.kept: list[Problem] = []
        self.count = 0

    def append(self, p: Problem) -> None:
        self.count += 1
        if len(self.kept) < MAX_PROBLEMS:
            self.kept.append(p)

    def __len__(self) -> int:
        return self.count


def fallback_id(name: str) -> str:
    """An id for a name with no a-z or 0-9 after folding (a Cyrillic or Greek name): 'asf_' and
    the first 10 hex digits of the name's SHA-256, the same on every upload."""
    return "asf_" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]


class _Row:
    """Checks one data row; appends problems; returns the cleaned field values."""

    def __init__(self, n: int, cells: dict[str, str], kommun_codes: frozenset[str], elsewhere: frozenset[str],
                 problems: _Problems):
        self.n, self.cells, self.problems = n, cells, problems
        self.kommun_codes, self.elsewhere = kommun_codes, elsewhere

    def err(self, field_name: str | None, key: str, **params) -> None:
        self.problems.append(Problem(self.n, COLUMN_OF.get(field_name) if field_name else None, key, params))

    def year(self, f: str, this_year: int) -> str:
        raw = self.cells[f]
        if not raw:
            return ""
        try:
            x = parse_number(raw)
        except NumberError:
            x = None
        if x is None or not math.isfinite(x) or not x.is_integer():
            self.err(f, "not_year", value=_shown(raw))
            return ""
        if not FIRST_YEAR <= x <= this_year:
            self.err(f, "year_range", value=_fmt(x), first=FIRST_YEAR, last=this_year)
            return ""
        return _fmt(x)

    def amount(self, f: str) -> str:
        raw = self.cells[f]
        if not raw:
            return ""
        try:
            x = parse_number(raw)
        except NumberError as exc:
            self.err(f, exc.key, value=_shown(raw))
            return ""
        low, high = BOUNDS[f]
        if x < 0:
            self.err(f, "negative", value=_shown(raw))
            return ""
        if not (math.isfinite(x) and low <= x <= high):
            self.err(f, "out_of_range", value=_shown(raw), low=low, high=high)
            return ""
        if f in PEOPLE and not x.is_integer():
            self.err(f, "not_integer", value=_shown(raw))
            return ""
        return _fmt(x)

    def text_rules(self) -> None:
        """Formulas, over-long text, control characters and misplaced line breaks, per cell."""
        for f, raw in self.cells.items():
            bad = _CONTROL.search(raw)
            if bad:
                self.err(f, "control_char", char=_codepoint(bad.group()))
            elif _is_formula(raw):
                self.err(f, "formula", value=_shown(raw))
            elif len(raw) > MAX_TEXT:
                self.err(f, "too_long", max=MAX_TEXT)
            elif f not in MULTILINE and _BREAK.search(raw):
                self.err(f, "line_break", columns=", ".join(COLUMN_OF[m] for m in sorted(MULTILINE)))

    def check(self, today: date) -> dict[str, str] | None:
        c, before = self.cells, len(self.problems)
        self.text_rules()
        if len(self.problems) > before:
            return None
        out = {f: "" for f in FIELD_OF.values()}
        name = c["name"]
        if not name:
            self.err("name", "required")
        elif name == EXAMPLE_NAME:
            self.err("name", "example_row")
        elif not any(ch.isalnum() for ch in name):
            self.err("name", "name_no_letters", value=_shown(name))
        out["name"] = name
        asf_id = c["asf_id"] or slug(name) or (fallback_id(name) if name else "")
        if c["asf_id"] and not _ID.match(c["asf_id"]):
            self.err("asf_id", "bad_id", value=_shown(c["asf_id"]))
        out["asf_id"] = asf_id
        if c["orgnr"]:
            digits = re.sub(r"^(\d{6})-(\d{4})$", r"\1\2", c["orgnr"])
            if not re.fullmatch(r"\d{10}", digits):
                self.err("orgnr", "orgnr_format", value=_shown(c["orgnr"]))
            elif not luhn_ok(digits):
                self.err("orgnr", "orgnr_checksum", value=c["orgnr"])
            else:
                out["orgnr"] = f"{digits[:6]}-{digits[6:]}"
        if c["kommun_code"]:
            self.kommun(c["kommun_code"], out)
        for f in ("town", "lines_of_business", "services", "legal_form"):
            out[f] = c[f]
        if c["contact_url"] and not _URL.match(c["contact_url"]):
            self.err("contact_url", "bad_url", value=_shown(c["contact_url"], 80))
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

    def kommun(self, raw: str, out: dict[str, str]) -> None:
        code = raw.zfill(4) if re.fullmatch(r"\d{3}", raw) else raw  # Excel drops a leading 0
        if not re.fullmatch(r"\d{4}", code):
            self.err("kommun_code", "kommun_format", value=_shown(code))
        elif code in self.kommun_codes:
            out["kommun_code"] = code
        elif code in self.elsewhere:
            self.err("kommun_code", "kommun_other_county", value=code)
        else:
            self.err("kommun_code", "kommun_unknown", value=code)

    def source(self, out: dict[str, str], today: date) -> None:
        src, when = self.cells["source"], self.cells["source_date"]
        if when:
            try:
                d = date.fromisoformat(when) if _DATE.match(when) else None
            except ValueError:
                d = None
            if d is None:
                self.err("source_date", "bad_date", value=_shown(when))
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
            self.err("source", "bad_source", value=_shown(src, 80), literal=COMPANY_SOURCE)


# --- The whole file -------------------------------------------------------------------------------

def _read(data: bytes, file_name: str) -> tuple[list[tuple[int, list[str]]], Problem | None]:
    """The file's non-empty rows as (row number, stripped cells), or the problem that stops reading."""
    if data.startswith(b"PK\x03\x04") or file_name.lower().endswith((".xlsx", ".xlsm")):
        try:
            rows = xlsx.read_rows(data, MAX_ROWS + 1, MAX_COLUMNS)
        except xlsx.Refused as exc:
            return [], Problem(None, None, exc.key, exc.params)
    elif data.startswith((b"%PDF", b"\xd0\xcf\x11\xe0")):  # PDF, old binary .xls
        return [], Problem(None, None, "binary")
    else:
        text, problem = _decode(data)
        if problem:
            return [], problem
        rows, problem = _csv_rows(text)
        if problem:
            return [], problem
    clean = [(n, [c if isinstance(c, xlsx.Number) else str(c).strip() for c in r]) for n, r in rows]
    return [(n, r) for n, r in clean if any(r)], None


def _header(header_n: int, header: list[str]) -> tuple[list[str | None], list[Problem]]:
    """The header's cells as file columns (None for an unknown one), and the problems with it."""
    while header and not header[-1]:  # trailing empty header cells (a stray separator)
        header.pop()
    if len(header) > MAX_COLUMNS:
        return [], [Problem(header_n, None, "too_many_columns", {"max": MAX_COLUMNS})]
    for h in header:
        bad = _CONTROL.search(h)
        if bad:
            return [], [Problem(header_n, None, "control_char", {"char": _codepoint(bad.group())})]
    cols = [_ALIASES.get(h.strip().lower(), None) for h in header]
    unknown = [_shown(h, 60) for h, c in zip(header, cols) if c is None]
    counts = Counter(c for c in cols if c)
    dupes = sorted(c for c, k in counts.items() if k > 1)
    missing = [c for c in FILE_COLUMNS if c not in counts]
    problems = []
    if unknown:
        problems.append(Problem(header_n, None, "unknown_columns", {"columns": ", ".join(unknown)[:300]}))
    if dupes:
        problems.append(Problem(header_n, None, "duplicate_columns", {"columns": ", ".join(dupes)}))
    if missing:
        problems.append(Problem(header_n, None, "missing_columns", {"columns": ", ".join(missing)}))
    return cols, problems


def validate(data: bytes, file_name: str = "", kommun_codes: set[str] | frozenset = frozenset(),
             today: date | None = None, *, other_kommun_codes: set[str] | frozenset = frozenset()) -> Validation:
    """Read and check a register file; see the module docstring. ``file_name`` decides XLSX vs CSV
    together with the bytes' signature; ``kommun_codes``: the 4-digit codes a row may use (the
    register county's kommuner); ``other_kommun_codes``: the other counties' kommuner, so that such a
    code is told apart from one that does not exist."""
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
    rows, problem = _read(data, file_name)
    if problem:
        res.problems.append(problem)
        return res
    if not rows:
        res.problems.append(Problem(None, None, "empty_file"))
        return res

    header_n, header = rows[0]
    cols, res.problems = _header(header_n, header)
    if res.problems:
        return res
    body = rows[1:]
    if not body:
        res.problems.append(Problem(None, None, "no_rows"))
        return res
    res.rows = len(body)

    codes = frozenset(kommun_codes)
    elsewhere = frozenset(other_kommun_codes) - codes
    problems = _Problems()
    clean: list[tuple[int, dict[str, str]]] = []
    for n, cells in body:
        if len(cells) > len(header) and any(cells[len(header):]):
            problems.append(Problem(n, None, "too_many_cells", {"expected": len(header), "found": len(cells)}))
            continue
        cells = cells + [""] * (len(header) - len(cells))
        # Numeric spreadsheet cells stay numbers only where a number belongs; elsewhere they are text.
        row = _Row(n, {FIELD_OF[c]: v if FIELD_OF[c] in _NUMERIC else str(v) for c, v in zip(cols, cells)},
                   codes, elsewhere, problems)
        out = row.check(today)
        if out is not None:
            clean.append((n, out))
    _duplicates(clean, problems)
    if problems.count:
        res.problems = problems.kept
        res.omitted = problems.count - len(problems.kept)
        return res
    res.enterprise, res.fact = _tables(clean)
    return res


def _duplicates(clean: list[tuple[int, dict[str, str]]], out: _Problems) -> None:
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
