"""Load test: N concurrent browser sessions click through pages and filters for a fixed time.

    python -m tools.loadtest --url http://127.0.0.1:8501 [--sessions 20] [--seconds 120]

Only loopback targets are accepted. Each session opens pages by URL (with filters in the query
string, as shared links would), waits for the page heading and its charts, and records the time;
an error is a Streamlit exception box, an error alert, a page that did not render within the
timeout, or a console error (minus Streamlit's two known benign 404s). Bounded in time and count;
stops by itself. Prints p50/p95 per page and writes JSON when --out is given.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import sys
import time
from urllib.parse import urlsplit

from tools.stats import percentile

PATHS = [
    "?lang=sv", "karta?ind=sysselsattningsgrad", "karta?ind=arbetsloshet&period=2025M12",
    "kommunprofil?kommun=2085", "kommunprofil?kommun=2080&ind=sysselsattningsgrad",
    "trender?ind=varsel", "trender?ind=arbetsloshet&reg=20,2080,00", "kompetensbrist?sit=brist",
    "kompetensbrist?q=sjuksk", "sociala-foretag?kommun=2085", "data?ind=arbetsloshet&reg=20",
    "kopare", "vinst?personer=40", "om-datan?lang=en",
]
BENIGN = ("_stcore/host-config", "_stcore/health")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]



async def _session(browser, base: str, deadline: float, rng: random.Random, times: dict, errors: list,
                   timeout_ms: int) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" and not any(b in str(m.location) or b in m.text for b in BENIGN) else None)
    while time.monotonic() < deadline:
        path = rng.choice(PATHS)
        console.clear()
        t0 = time.monotonic()
        try:
            await page.goto(f"{base}/{path}", timeout=timeout_ms)
            await page.locator("h1").first.wait_for(timeout=timeout_ms)
            await page.wait_for_load_state("networkidle", timeout=timeout_ms)
            elapsed = time.monotonic() - t0
            if await page.get_by_test_id("stException").count() or await page.get_by_test_id("stAlertContentError").count():
                errors.append(f"{path}: error box")
            elif console:
                errors.append(f"{path}: console: {console[0][:160]}")
            else:
                times.setdefault(path.split("?")[0] or "oversikt", []).append(elapsed)
        except Exception as exc:  # a timeout or a crashed page is an error for the report
            errors.append(f"{path}: {type(exc).__name__}: {str(exc)[:160]}")
        await asyncio.sleep(rng.uniform(0.2, 1.0))  # think time
    await context.close()


async def run(url: str, sessions: int, seconds: float, timeout_ms: int = 60_000, seed: int = 7) -> dict:
    host = urlsplit(url).hostname or ""
    if not (host == "localhost" or host.startswith("127.") or host == "::1"):
        raise ValueError(f"load tests target loopback only, not {host!r}")
    from playwright.async_api import async_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    times: dict[str, list[float]] = {}
    errors: list[str] = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium, args=ARGS)
        deadline = time.monotonic() + seconds
        started = time.monotonic()
        await asyncio.gather(*[_session(browser, url.rstrip("/"), deadline, random.Random(seed + i), times, errors, timeout_ms)
                               for i in range(sessions)])
        wall = time.monotonic() - started
        await browser.close()
    every = [t for ts in times.values() for t in ts]
    return {
        "url": url, "sessions": sessions, "seconds": round(wall, 1), "page_loads": len(every),
        "errors": errors, "p50_s": percentile(every, 0.5), "p95_s": percentile(every, 0.95),
        "per_page": {k: {"n": len(v), "p50_s": percentile(v, 0.5), "p95_s": percentile(v, 0.95)} for k, v in sorted(times.items())},
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tools.loadtest")
    ap.add_argument("--url", required=True)
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--timeout", type=float, default=60, help="seconds a page may take before it counts as an error")
    ap.add_argument("--out")
    args = ap.parse_args(argv)
    res = asyncio.run(run(args.url, args.sessions, args.seconds, timeout_ms=int(args.timeout * 1000)))
    print(f"{res['sessions']} sessions, {res['seconds']} s, {res['page_loads']} page loads, "
          f"{len(res['errors'])} errors; p50 {res['p50_s']:.2f} s, p95 {res['p95_s']:.2f} s")
    for page, r in res["per_page"].items():
        print(f"  {page:18s} n={r['n']:4d}  p50 {r['p50_s']:.2f} s  p95 {r['p95_s']:.2f} s")
    for e in res["errors"][:20]:
        print("  ERROR", e)
    if args.out:
        with open(args.out, "w") as fh:
            json.dump(res, fh, indent=2)
    return 0 if not res["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
