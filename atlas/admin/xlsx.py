"""Read the first sheet of an uploaded XLSX workbook with hard limits, checked before openpyxl
parses anything.

An XLSX file is a zip of XML parts, so 2 MB on the wire can unpack to gigabytes, and openpyxl
trusts what the parts declare (a sheet's dimension A1:XFD1048576 makes it pad every row to 16,384
cells). ``read_rows(data, max_rows, max_columns)`` therefore first checks the zip's directory
(member count, declared unpacked sizes, compression methods; zipfile never returns more than a
member declares), then streams every XML part once through expat without building a tree:
no DTD or entity declarations (Excel never writes them; they are how XML bombs expand), no
values beyond the row and column caps, no row with more cells than a sheet row can hold, no more
elements than a full register needs (openpyxl's time grows with them). Only
then does openpyxl read the sheet, in read-only mode with its declared dimension dropped and the
same caps passed to ``iter_rows``, so it stops at the last allowed row.

Refusals are raised as ``Refused(key, params)`` with a message key under ``admin.err.``.
"""

from __future__ import annotations

import io
import math
import zipfile
from datetime import date
from xml.parsers import expat

MAX_MEMBERS = 200  # parts in the zip; a workbook saved by Excel has about 10-15
MAX_UNPACKED = 25 * 1024 * 1024  # declared unpacked bytes of all parts together
MAX_PART = 2 * 1024 * 1024  # unpacked bytes of a part that is neither a sheet nor the string table
MAX_CELLS_PER_ROW = 1000  # <c> elements in one <row>, empty ones included (styles leave some)
MAX_CELLS = 500_000  # <c> elements in one sheet, or strings in the shared-string table
MAX_ROW_ELEMENTS = 100_000  # <row> elements in one sheet, empty ones included
# XML elements of any kind in one part: a full register (10,001 rows of 16 inline-string cells) has
# about 500,000; openpyxl spends some 4 microseconds on each, whatever it is.
MAX_ELEMENTS = 600_000
_BIG_ROOTS = {"worksheet", "sst"}  # the parts allowed up to MAX_UNPACKED: sheets and shared strings
_VALUE_TAGS = {"v", "is", "f"}  # a cell with one of these carries a value or a formula
_CHUNK = 64 * 1024


class Refused(Exception):
    """The workbook is refused; ``key`` is the message key under admin.err., ``params`` its values."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params


class Number(str):
    """A numeric spreadsheet cell: its text as shown to the user, and ``value`` the float itself, so
    the validator takes the number as Excel stored it instead of re-reading its text."""

    value: float

    def __new__(cls, value: float):
        text = str(int(value)) if math.isfinite(value) and float(value).is_integer() else repr(float(value))
        obj = super().__new__(cls, text)
        obj.value = float(value)
        return obj

    def __reduce__(self):  # pickled by value (st.cache_data pickles validation results)
        return Number, (self.value,)


def _col_number(ref: str) -> int:
    """'A1' -> 1, 'XFD7' -> 16384 (letters only; 0 when there are none)."""
    n = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            n = n * 26 + ord(ch) - 64
        elif "a" <= ch <= "z":
            n = n * 26 + ord(ch) - 96
        else:
            break
    return n


def _row_number(ref: str) -> int:
    digits = ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    if not digits.isdigit():
        raise Refused("xlsx_unreadable")
    return int(digits)


class _Scan:
    """One XML part streamed through expat; refuses as soon as a limit is passed."""

    def __init__(self, max_rows: int, max_columns: int):
        self.max_rows, self.max_columns = max_rows, max_columns
        self.root: str | None = None
        self.row = 0  # current row index (1-based, as openpyxl counts it)
        self.col = 0  # current cell's column
        self.cells_in_row = 0
        self.cells = 0
        self.rows = 0
        self.elements = 0

    def parser(self) -> expat.XMLParserType:
        p = expat.ParserCreate()
        p.StartDoctypeDeclHandler = self._doctype
        p.EntityDeclHandler = self._doctype
        p.StartElementHandler = self._start
        return p

    def _doctype(self, *_args) -> None:
        raise Refused("xlsx_dtd")

    def _start(self, name: str, attrs: dict) -> None:
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise Refused("xlsx_elements", max=MAX_ELEMENTS)
        tag = name.rpartition(":")[2]  # some writers prefix the spreadsheetml namespace (x:row)
        if self.root is None:
            self.root = tag
            return
        if self.root == "sst":
            if tag == "si":
                self.cells += 1
                if self.cells > MAX_CELLS:
                    raise Refused("xlsx_cells", max=MAX_CELLS)
            return
        if self.root != "worksheet":
            return
        if tag == "row":
            self.rows += 1
            if self.rows > MAX_ROW_ELEMENTS:
                raise Refused("too_many_rows", max=self.max_rows - 1)
            r = attrs.get("r")
            self.row = _row_number(r) if r else self.row + 1
            self.col = 0
            self.cells_in_row = 0
        elif tag == "c":
            self.cells += 1
            self.cells_in_row += 1
            if self.cells_in_row > MAX_CELLS_PER_ROW:
                raise Refused("too_many_columns", max=self.max_columns)
            if self.cells > MAX_CELLS:
                raise Refused("xlsx_cells", max=MAX_CELLS)
            r = attrs.get("r")
            self.col = _col_number(r) if r else self.col + 1
        elif tag in _VALUE_TAGS and self.col:
            if self.row > self.max_rows:
                raise Refused("too_many_rows", max=self.max_rows - 1)
            if self.col > self.max_columns:
                raise Refused("too_many_columns", max=self.max_columns)


def _mb(n: int) -> str:
    """Bytes as MB with one decimal, rounded up (2 MB and 25 bytes is '2.1', not '2.0')."""
    return f"{math.ceil(n / 1048576 * 10) / 10:.1f}"


def check(data: bytes, max_rows: int, max_columns: int) -> None:
    """Raise ``Refused`` unless the zip and every XML part in it are within the limits above;
    ``max_rows`` counts the header row too."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise Refused("xlsx_unreadable") from None
    if len(infos) > MAX_MEMBERS:
        raise Refused("xlsx_members", n=len(infos), max=MAX_MEMBERS)
    unpacked = sum(i.file_size for i in infos)
    if unpacked > MAX_UNPACKED:
        raise Refused("xlsx_unpacked", size_mb=_mb(unpacked), max_mb=f"{MAX_UNPACKED / 1048576:.0f}")
    # bzip2 and LZMA are decompressed in one call whatever the declared size; Excel uses neither.
    if any(i.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or i.flag_bits & 0x1 for i in infos):
        raise Refused("xlsx_unreadable")
    for info in infos:
        if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue  # images and other binary parts: openpyxl's read-only mode does not open them
        scan = _Scan(max_rows, max_columns)
        parser = scan.parser()
        try:
            with zf.open(info) as f:
                while chunk := f.read(_CHUNK):
                    parser.Parse(chunk, False)
                    if scan.root and scan.root not in _BIG_ROOTS and info.file_size > MAX_PART:
                        raise Refused("xlsx_unpacked", size_mb=_mb(info.file_size), max_mb=f"{MAX_PART / 1048576:.0f}")
                parser.Parse(b"", True)
        except Refused:
            raise
        except Exception:  # not well-formed XML, an encoding expat does not know, a damaged member...
            raise Refused("xlsx_unreadable") from None


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return Number(float(value))
    if hasattr(value, "date") and callable(value.date):  # datetime from a date-formatted cell
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def read_rows(data: bytes, max_rows: int, max_columns: int) -> list[tuple[int, list[str]]]:
    """The first sheet's rows as (row number, cell texts), at most ``max_rows`` rows (header
    included) of at most ``max_columns`` cells, trailing empty rows dropped; numeric cells are
    ``Number``. Raises ``Refused``."""
    check(data, max_rows, max_columns)
    import openpyxl  # only needed for spreadsheets

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # a zip that is not a workbook, a damaged part...
        raise Refused("xlsx_unreadable") from None
    try:
        ws = wb.worksheets[0]
        ws.reset_dimensions()  # the declared size is not trusted; the caps below bound the read
        rows = [(i, [_cell(v) for v in r])
                for i, r in enumerate(ws.iter_rows(max_row=max_rows, max_col=max_columns, values_only=True), 1)]
    except Exception:  # no worksheet, a cell openpyxl cannot convert...
        raise Refused("xlsx_unreadable") from None
    finally:
        wb.close()
    while rows and not any(c.strip() for c in rows[-1][1]):
        rows.pop()
    return rows
