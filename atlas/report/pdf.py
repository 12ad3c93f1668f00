"""HTML to an A4 PDF through the machine's Chromium (Debian's chromium, or $BROWSER_PATH, the same
browser kaleido uses): headless --print-to-pdf, which writes a tagged PDF (structure tree, document
language, images' alt text) and prints the page numbers the report's CSS puts in the page margins.

The page is a local file in a private temporary folder (with a fresh browser profile); the HTML's
own Content-Security-Policy forbids every load but its inline images (and so every script), and
Chromium is killed after TIMEOUT_S.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_S = 60
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
        "--no-pdf-header-footer"]  # scripts: forbidden by the page's CSP (scriptEnabled=false stops printing)


class PdfUnavailable(RuntimeError):
    """No Chromium on this machine, or it failed; the message says what to do."""


def chromium() -> str | None:
    """The Chromium to print with: $BROWSER_PATH, else chromium / chromium-browser / google-chrome."""
    return (os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
            or shutil.which("google-chrome"))


def print_pdf(html: str) -> bytes:
    """The PDF bytes of ``html`` (a complete document whose CSS sets the page size and margins)."""
    browser = chromium()
    if not browser:
        raise PdfUnavailable("Printing the report needs Chromium (Debian: apt-get install chromium); "
                             "the HTML report (--format html) can be printed from any browser.")
    with tempfile.TemporaryDirectory(prefix="atlas-report-") as tmp:
        page, out = Path(tmp) / "report.html", Path(tmp) / "report.pdf"
        page.write_text(html, encoding="utf-8")
        cmd = [browser, *ARGS, f"--user-data-dir={Path(tmp) / 'profile'}", f"--print-to-pdf={out}", page.as_uri()]
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_S, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PdfUnavailable(f"Chromium could not print the report ({type(exc).__name__}).") from exc
        if not out.exists() or out.stat().st_size == 0:
            tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            raise PdfUnavailable(f"Chromium wrote no PDF (exit {done.returncode}): {tail[0][:200]}")
        return out.read_bytes()
