"""Pure Plotly figure builders: ``build_x(df, *, lang, ...) -> go.Figure``; no Streamlit here."""
