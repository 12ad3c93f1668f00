"""The app's launcher (atlas.ui.serve) with one addition for the driver check: every script run is
appended to $ATLAS_RUN_LOG as a JSON line (session, page url path, query string, how the run
ended), so a test can compare the runs a real browser causes with those the protocol driver causes.
Test instrumentation only: never used to serve the app."""

from __future__ import annotations

import json
import os
import sys
import threading

_lock = threading.Lock()


def _install(path: str) -> None:
    from streamlit.runtime.scriptrunner import script_runner

    real = script_runner.exec_func_with_error_handling

    def logged(func, ctx):
        result = real(func, ctx)
        page = ctx.pages_manager.get_pages().get(ctx.page_script_hash, {})
        rerun = bool(result[2])  # (value, ran without errors, rerun data, premature stop, exception)
        line = {"session": ctx.session_id, "page": page.get("url_pathname", ""), "query": ctx.query_string,
                "rerun_requested": rerun}
        with _lock, open(path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(line) + "\n")
        return result

    script_runner.exec_func_with_error_handling = logged


if __name__ == "__main__":
    _install(os.environ["ATLAS_RUN_LOG"])
    from atlas.ui.serve import main

    sys.exit(main())
