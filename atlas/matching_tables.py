"""Matchning's display tables in the reader's language (no Streamlit). Each returns a DataFrame
whose columns are keys the page names with t('matchning.col.<key>'); downloads reuse them."""

from __future__ import annotations

import pandas as pd

from atlas.i18n import MISSING, t, t_or
from atlas.matching import requirement_sources
from atlas.occupations import situation_label


def _kommun_label(row: pd.Series, lang: str) -> str:
    name = row.get("kommun_name_en" if lang == "en" else "kommun_name")
    if isinstance(name, str) and name:
        return name
    return t("matchning.unknown_kommun", lang)


def assessment_label(key: object, lang: str) -> str:
    """The assessment level ('länet', 'delvis nationell nivå', ...) of a level key; '..' when None."""
    if not isinstance(key, str) or not key:
        return MISSING
    return t(f"kompetensbrist.level.{key}", lang)


def level_text(level: str, lang: str) -> str:
    """The entry level label of an ENTRY_LEVELS key."""
    return t(f"matchning.level.{level}", lang)


def strength_text(strength: str, lang: str) -> str:
    """'direkt' / 'delvis' ('direct' / 'partial') for a mapping strength."""
    return t(f"matchning.strength.{strength}", lang)


def _service(row: pd.Series, services: pd.DataFrame, lang: str) -> tuple[str, str]:
    """(what the enterprise does in this line of business, the URL that states it): the
    asf_services.csv text and source where a row for the same enterprise and key exists, else
    the line of business' label and the register's primary source."""
    texts, url = [], ""
    for key in str(row["line_of_business_key"]).split("; "):
        hit = services[(services["asf_id"] == row["asf_id"]) & (services["category_id"] == key)]
        if not hit.empty:
            texts.append(str(hit.iloc[0]["service_en" if lang == "en" else "service_sv"]))
            url = url or str(hit.iloc[0]["source_url"])
        else:
            texts.append(t_or(f"matchning.lob.{key}", lang, key))
    return "; ".join(dict.fromkeys(texts)), url or str(row.get("source_url") or "")


COVERED = ["yrke", "ssyk", "sit", "bedomning", "niva", "styrka", "asf", "kommun", "motivering", "verksamhet",
           "kalla", "omrade"]


def covered_table(cov: pd.DataFrame, services: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The covered rows for display, one per occupation and enterprise (columns COVERED)."""
    if cov.empty:
        return pd.DataFrame(columns=COVERED)
    found = [_service(r, services, lang) for _, r in cov.iterrows()]
    return pd.DataFrame({
        "yrke": cov["yb_yrke"].to_numpy(), "ssyk": cov["ssyk"].to_numpy(), "omrade": cov["yrkesomrade"].to_numpy(),
        "sit": [situation_label(c, lang, short=True) for c in cov["situation_code"]],
        "bedomning": [assessment_label(a, lang) for a in cov["assessment"]],
        "niva": [level_text(lv, lang) for lv in cov["entry_level"]],
        "styrka": [strength_text(s, lang) for s in cov["strength"]],
        "asf": cov["name"].to_numpy(), "kommun": [_kommun_label(r, lang) for _, r in cov.iterrows()],
        "verksamhet": [s[0] for s in found],
        "motivering": cov["rationale_en" if lang == "en" else "rationale_sv"].to_numpy(),
        "kalla": [s[1] for s in found],
    }, columns=COVERED)


def _first_url(ids: str) -> str:
    sources = requirement_sources()
    for sid in str(ids).split(";"):
        if sid.strip() in sources:
            return str(sources[sid.strip()]["url"])
    return ""


def requirement_text(row: pd.Series, lang: str) -> str:
    """The curated requirement in ``lang``, or 'not reviewed' for an occupation missing from it."""
    text = row.get("requirement_en" if lang == "en" else "requirement_sv")
    return text if isinstance(text, str) and text else t("matchning.not_reviewed", lang)


ENTRY = ["omrade", "yrke", "ssyk", "sit", "bedomning", "kompetens", "krav", "niva", "krav_kalla"]


def entry_table(occ: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Occupations (a ``shortage_occupations`` or ``gaps`` result) with the basis of their entry
    level: SSYK skill level, the curated requirement and its first source URL (columns ENTRY)."""
    return pd.DataFrame({
        "omrade": occ["yrkesomrade"].to_numpy(), "yrke": occ["yb_yrke"].to_numpy(), "ssyk": occ["ssyk"].to_numpy(),
        "sit": [situation_label(c, lang, short=True) for c in occ["situation_code"]],
        "bedomning": [assessment_label(a, lang) for a in occ["assessment"]],
        "kompetens": [t(f"matchning.skill.{s}", lang) if isinstance(s, str) else MISSING for s in occ["skill_level"]],
        "krav": [requirement_text(r, lang) for _, r in occ.iterrows()],
        "niva": [level_text(lv, lang) for lv in occ["entry_level"]],
        "krav_kalla": [_first_url(s) for s in occ["requirement_sources"]],
    }, columns=ENTRY)


MAPPING = ["lob_key", "asf_id", "asf", "kommun", "yrke", "yb_concept_id", "ssyk", "styrka", "motivering", "kalla"]


def mapping_table(mapping: pd.DataFrame, register: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The whole curated mapping with enterprise names, for download (columns MAPPING)."""
    m = mapping.merge(register[["asf_id", "name", "kommun_name", "kommun_name_en", "source_url"]],
                      on="asf_id", how="left")
    return pd.DataFrame({
        "lob_key": m["line_of_business_key"].to_numpy(), "asf_id": m["asf_id"].to_numpy(),
        "asf": m["name"].to_numpy(), "kommun": [_kommun_label(r, lang) for _, r in m.iterrows()],
        "yrke": m["yb_yrke"].to_numpy(), "yb_concept_id": m["yb_concept_id"].to_numpy(), "ssyk": m["ssyk"].to_numpy(),
        "styrka": [strength_text(s, lang) for s in m["strength"]],
        "motivering": m["rationale_en" if lang == "en" else "rationale_sv"].to_numpy(),
        "kalla": m["source_url"].to_numpy(),
    }, columns=MAPPING)


REVIEW = ["asf", "lob_key", "ssyk", "yrke", "beslut", "styrka", "skal"]


def review_table(review: pd.DataFrame, register: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The mapping review: every link the earlier SSYK-keyed mapping made (one row per occupation
    it reached), kept or removed, with the reason (columns REVIEW)."""
    r = review.merge(register[["asf_id", "name"]], on="asf_id", how="left")
    return pd.DataFrame({
        "asf": r["name"].fillna(r["asf_id"]).to_numpy(),
        "lob_key": [t_or(f"matchning.lob.{k}", lang, k) for k in r["line_of_business_key"]],
        "ssyk": r["ssyk_before"].to_numpy(), "yrke": r["yb_yrke"].to_numpy(),
        "beslut": [t(f"matchning.decision.{d}", lang) for d in r["decision"]],
        "styrka": [strength_text(s, lang) if s else "" for s in r["strength"]],
        "skal": r["reason_en" if lang == "en" else "reason_sv"].to_numpy(),
    }, columns=REVIEW)
