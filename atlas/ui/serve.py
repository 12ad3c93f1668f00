"""Start the app: ``python -m atlas.ui.serve [streamlit options]`` (= streamlit run app.py ...).

Why a launcher: Streamlit decides per server process whether the app is a legacy multipage app
(a pages/ folder beside the entry script) and only learns otherwise when app.py calls
st.navigation. If the very first visitor of a fresh server opens a deep link (/kommunprofil?...)
Streamlit runs the page file directly, without app.py (no language switch, no navigation, no data
gate), and stays in that mode until someone opens the root URL. app.py always uses st.navigation,
so the flag is set before the server starts.
"""

from __future__ import annotations

import sys

from atlas import ROOT


def main(argv: list[str] | None = None) -> int:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    PagesManager.uses_pages_directory = False
    args = list(sys.argv[1:] if argv is None else argv)
    sys.argv = ["streamlit", "run", str(ROOT / "app.py"), *args]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main())
