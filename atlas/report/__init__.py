"""The printable situation report ("Läget i ..."), in the spirit of Region Dalarna's monthly
"Läget i Dalarna": key figures with 12-month changes, the auto-written findings, the map, trends,
redundancy notices, shortage occupations, ASF coverage, sources and the data version, for a county
or one of its kommuner, in Swedish or English, as HTML or an A4 PDF with page numbers.

    python -m atlas report --lan 20 [--kommun 2085] [--lang en] --format pdf|html --out FILE

content.gather collects, render.render_html writes the HTML (figures by the pages' own builders,
drawn to SVG by kaleido), and pdf.print_pdf prints it with the machine's Chromium (headless
--print-to-pdf: a tagged PDF whose figures carry their alt text). The file is written atomically:
a temporary file in the same folder, renamed into place only when complete.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from atlas.report.content import Report, ReportError, gather

__all__ = ["Report", "ReportError", "ReportResult", "build_report", "make_report", "gather"]
FORMATS = ("pdf", "html")


@dataclass(frozen=True)
class ReportResult:
    """path: the file written; pages: its page count (PDF; None for HTML); seconds: the time taken."""

    path: Path
    pages: int | None
    seconds: float


def make_report(lan: str, *, kommun: str | None = None, lang: str = "sv", fmt: str = "pdf", url: str = "",
                con=None) -> bytes:
    """The report's bytes (PDF or UTF-8 HTML). Raises ReportError (no data, unknown region) or
    atlas.report.pdf.PdfUnavailable (no Chromium)."""
    import threading

    from atlas.report.render import render_html, warm_up

    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {FORMATS}, not {fmt!r}")
    # kaleido's browser takes seconds to start the first time in a process: start it while the
    # database is read (the figures wait for it under kaleido's lock either way)
    threading.Thread(target=warm_up, daemon=True).start()
    html = render_html(gather(lan, kommun=kommun, lang=lang, con=con), url=url)
    if fmt == "html":
        return html.encode("utf-8")
    from atlas.report.pdf import print_pdf

    return print_pdf(html)


def page_count(pdf: bytes) -> int:
    """The number of pages of a PDF Chromium wrote (its page objects are not compressed)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, renamed into place:
    a reader never sees half a file, and a failure leaves any earlier file as it was."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build_report(lan: str, *, out: Path, kommun: str | None = None, lang: str = "sv", fmt: str = "pdf",
                 url: str = "", con=None) -> ReportResult:
    """Make the report and write it to ``out`` atomically (nothing is written when it fails)."""
    t0 = time.perf_counter()
    out = Path(out)
    if not out.parent.is_dir():
        raise ReportError(f"{out.parent} is not a folder")
    data = make_report(lan, kommun=kommun, lang=lang, fmt=fmt, url=url, con=con)
    write_atomically(out, data)
    return ReportResult(out, page_count(data) if fmt == "pdf" else None, time.perf_counter() - t0)
