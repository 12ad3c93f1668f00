"""Streamlit components and state (the only place below the pages that imports Streamlit)."""
