"""Exports: data files (CSV/XLSX/Parquet, formula-injection safe), figure images, metadata bundles
and the seminar deck. No Streamlit here: every function returns bytes or plain data."""
