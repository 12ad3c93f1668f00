"""Research downloads: the observation selection shaped for files, with column descriptions and the
metadata bundle. No Streamlit: the page passes query results in."""

from __future__ import annotations

import pandas as pd

from atlas.export.metadata import bundle_zip, indicator_metadata, metadata_document
from atlas.i18n import t

OBS_COLUMNS = ["indicator_id", "indicator", "unit", "region_code", "region", "level", "period",
               "sex", "category", "value", "source_id", "publisher"]


def shape_observations(raw: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The ``download_observations`` result with labels in ``lang``; stable English column names
    (see OBS_COLUMNS) so scripts keep working whichever language the file was downloaded in."""
    en = lang == "en"
    out = pd.DataFrame({
        "indicator_id": raw["indicator_id"],
        "indicator": raw["label_en" if en else "label_sv"],
        "unit": raw["unit"],
        "region_code": raw["region_code"],
        "region": raw["region_name_en" if en else "region_name"],
        "level": raw["level"],
        "period": raw["period"],
        "sex": raw["sex"],
        "category": raw["category"],
        "value": raw["value"].astype("float64"),
        "source_id": raw["source_id"],
        "publisher": raw["publisher"],
    })
    return out[OBS_COLUMNS].reset_index(drop=True)


def column_descriptions(columns: list[str], lang: str) -> dict[str, str]:
    """Description of each column in ``lang`` (from locales: download.columns.<name>)."""
    return {c: t(f"download.columns.{c}", lang) for c in columns}


def latest_periods(df: pd.DataFrame) -> dict[str, str]:
    """indicator_id -> the latest period present in the download (the file's as-of)."""
    if df.empty:
        return {}
    key = df["period"].str.replace("M", "", regex=False).str.pad(6, side="right", fillchar="0")
    return df.assign(_k=key).sort_values("_k").groupby("indicator_id")["period"].last().to_dict()


def observation_bundle(df: pd.DataFrame, catalogue: pd.DataFrame, sources: pd.DataFrame, lang: str,
                       *, sql: str, params: dict, version: str = "", url: str = "", title: str = "") -> bytes:
    """ZIP with data.csv, metadata.json (data version, columns, indicators with sources and as-of,
    the view's link ``url`` and the citation of ``title`` in every format), README, SQL."""
    inds = indicator_metadata(df["indicator_id"].unique().tolist(), catalogue, sources, lang,
                              as_of=latest_periods(df))
    meta = metadata_document(column_descriptions(list(df.columns), lang), inds, lang,
                             query_name="download_observations", params=params, version=version, url=url,
                             title=title)
    return bundle_zip(df, meta, lang, sql=sql, stem="data")


def table_bundle(df: pd.DataFrame, lang: str, *, query_name: str, sql: str, source_rows: pd.DataFrame,
                 description: str, version: str = "", url: str = "") -> bytes:
    """ZIP for a domain table (Yrkesbarometern, ASF): data, metadata with its sources and the
    citation of ``description`` at ``url``, README, SQL."""
    sources = [{k: (None if pd.isna(v) else v) for k, v in row.items()}
               for row in source_rows[["id", "publisher", "url", "licence", "retrieved_at", "sha256"]].to_dict("records")]
    inds = [{"id": query_name, "label": description, "unit": "", "definition": description,
             "as_of": None, "sources": sources}]
    meta = metadata_document(column_descriptions(list(df.columns), lang), inds, lang, query_name=query_name,
                             version=version, url=url, title=description)
    return bundle_zip(df, meta, lang, sql=sql, stem="data")
