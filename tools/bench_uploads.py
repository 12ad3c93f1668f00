"""Hostile register uploads, generated in code (never committed), and what rejecting them costs.

``BOMBS`` maps a name to a function returning (file name, bytes):
- far_row: a ~1.5 KB XLSX whose sheet declares A1:XFD1048576 and has one value in its last cell;
- zip_bomb: an XLSX whose ~1 MB on the wire unpack to 60 MB of sheet XML;
- wide_header: a CSV whose header is 150,000 copies of one column name.
The tests (tests/admin) and ``python -m tools.bench`` use the same generators.

``measure(name)`` validates one bomb in a fresh Python process and returns the seconds it took and
the peak resident memory above that process's baseline (ru_maxrss after the imports and one small
warm-up validation), so one bomb's allocations cannot hide another's.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile

from atlas import ROOT

TARGET_S, TARGET_MB = 2.0, 200.0

_CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
       '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/xl/workbook.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
       '<Override PartName="/xl/worksheets/sheet1.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
       '</Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WB = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
       '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
       '<sheets><sheet name="Register" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WB_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


def _col(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def inline_row(r: int, values: list[str]) -> str:
    """One <row> of inline-string cells."""
    cells = "".join(f'<c r="{_col(i)}{r}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(values, 1))
    return f'<row r="{r}">{cells}</row>'


def workbook(sheet_xml: str | bytes, extra: dict[str, bytes] | None = None,
             compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A minimal XLSX (content types, workbook, one sheet) around ``sheet_xml``; ``extra`` adds parts."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WB)
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


def _header() -> list[str]:
    from atlas.admin.validate import FILE_COLUMNS

    return FILE_COLUMNS


def far_row() -> tuple[str, bytes]:
    sheet = (SHEET_HEAD + '<dimension ref="A1:XFD1048576"/><sheetData>' + inline_row(1, _header())
             + '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
             + "</sheetData></worksheet>")
    return "far_row.xlsx", workbook(sheet)


def zip_bomb(unpacked_mb: int = 60) -> tuple[str, bytes]:
    """Rows of 16 short cells until the sheet XML passes ``unpacked_mb``; each row's values differ,
    so it does not compress to nothing (about 1 MB on the wire, under the upload limit)."""
    parts = [SHEET_HEAD, "<sheetData>", inline_row(1, _header())]
    size, r = 0, 2
    while size < unpacked_mb * 1024 * 1024:
        row = f'<row r="{r}">' + f'<c t="inlineStr"><is><t>v{r}</t></is></c>' * 16 + "</row>"
        parts.append(row)
        size += len(row)
        r += 1
    parts.append("</sheetData></worksheet>")
    return "zip_bomb.xlsx", workbook("".join(parts))


def wide_header(n: int = 150_000) -> tuple[str, bytes]:
    return "wide_header.csv", (",".join(["namn"] * n) + "\n" + "," * (n - 1) + "x\n").encode()


BOMBS = {"far_row": far_row, "zip_bomb": zip_bomb, "wide_header": wide_header}

# Runs in a fresh interpreter: argv = file to validate, its name, warm-up XLSX, memory cap in MB (0: none).
_CHILD = r"""
import json, resource, sys, time
path, name, warm, cap = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
if cap:
    resource.setrlimit(resource.RLIMIT_AS, (cap * 1024 * 1024, cap * 1024 * 1024))
from atlas.admin import validate
validate.validate(b"id,namn\n1,a\n", "warm.csv")
validate.validate(open(warm, "rb").read(), "warm.xlsx")  # imports openpyxl before the baseline
data = open(path, "rb").read()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
try:
    res = validate.validate(data, name)
    keys, ok = [p.key for p in res.problems][:3], res.ok
except MemoryError:
    keys, ok = ["MemoryError"], False
elapsed = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
traced = None
if ok is False and keys != ["MemoryError"]:  # again under tracemalloc: what Python itself allocated
    import tracemalloc
    tracemalloc.start()
    validate.validate(data, name)
    traced = tracemalloc.get_traced_memory()[1] / 1048576
    tracemalloc.stop()
print(json.dumps({"bytes": len(data), "seconds": elapsed, "peak_mb": (peak - base) / 1024, "traced_mb": traced,
                  "keys": keys, "ok": ok}))
"""


def measure(name: str, root=ROOT, cap_mb: int = 0) -> dict:
    """Validate bomb ``name`` in a fresh interpreter running the code in ``root`` (another checkout
    measures the code before a change), under an address-space cap of ``cap_mb`` MB when given;
    returns bytes, seconds, peak_mb (resident peak above the baseline), traced_mb (Python's own
    allocation peak in a second run under tracemalloc), the first problem keys and ok (False)."""
    import tempfile
    from pathlib import Path

    file_name, data = BOMBS[name]()
    warm = workbook(SHEET_HEAD + "<sheetData>" + inline_row(1, ["id"]) + "</sheetData></worksheet>")
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / file_name).write_bytes(data)
        (Path(tmp) / "warm.xlsx").write_bytes(warm)
        out = subprocess.run([sys.executable, "-c", _CHILD, str(Path(tmp) / file_name), file_name,
                              str(Path(tmp) / "warm.xlsx"), str(cap_mb)],
                             cwd=root, capture_output=True, text=True, timeout=900, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_uploads() -> dict:
    """measure() for every bomb, by name."""
    return {name: measure(name) for name in BOMBS}


def report(res: dict) -> None:
    print(f"{'bomb':12} {'size':>10} {'time':>9} {'RSS peak over base':>19} {'traced':>10}  refused with")
    for name, r in res.items():
        status = "met" if r["seconds"] < TARGET_S and r["peak_mb"] < TARGET_MB and not r["ok"] else "NOT MET"
        traced = f"{r['traced_mb']:.1f} MB" if r.get("traced_mb") is not None else "-"
        print(f"{name:12} {r['bytes'] / 1024:>8.1f}KB {r['seconds']:>8.2f}s {r['peak_mb']:>16.1f} MB {traced:>10}  "
              f"{', '.join(r['keys'])}  ({status}: < {TARGET_S} s, < {TARGET_MB:.0f} MB)")


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(prog="python -m tools.bench_uploads")
    ap.add_argument("--root", default=str(ROOT), help="checkout whose validator is measured")
    ap.add_argument("--cap-mb", type=int, default=0, help="address-space cap for each run (0: none)")
    args = ap.parse_args()
    report({name: measure(name, args.root, args.cap_mb) for name in BOMBS})
