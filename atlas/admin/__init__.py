"""Admin area for keeping the ASF register current: validation of uploaded register files
(validate), the writable admin store with audit log and restore (store), the downloadable
template (template) and the access decisions (auth). Nothing here imports Streamlit."""
