"""Inkluderingsatlas: the library behind the Streamlit app (no Streamlit import outside atlas/ui)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
CURATED_DIR = DATA_DIR / "curated"
QUERIES_DIR = ROOT / "queries"
