"""Pure helpers for the ASF page: search and filters over the register, text for stated numbers
(exact, range, lower bound, approximate), county statements in long form for plotting, and the
coverage facts shown beside every ASF count. No Streamlit; every function is unit-tested.

Unknown stays unknown: an empty kommun_code is the key ``UNKNOWN`` ('okand'), an empty number is
'..', and approximate figures keep their qualifier ("ca 20"), never a bare number.
"""

from __future__ import annotations

import re
import string
import unicodedata
from pathlib import Path

import pandas as pd

from atlas import ROOT
from atlas.i18n import MISSING, fmt_number, t, t_or

UNKNOWN = "okand"  # URL/filter key for "municipality unknown"
MAX_SEARCH = 100  # characters accepted in ?q=
TOTAL_MEASURES = ("n_asf", "employees", "work_training")  # plotted county measures, in panel order
README = ROOT / "data" / "curated" / "README.md"


def blank(value: object) -> bool:
    """True for None, NaN/NA and empty or whitespace-only text."""
    if value is None:
        return True
    try:
        if pd.isna(value):
            return True
    except (TypeError, ValueError):
        return False
    return isinstance(value, str) and not value.strip()


URL_LABEL_RE = r"^https?://(?:www\.)?([^/?#]+)"  # LinkColumn display text: the site's host name
_MD_PUNCT = frozenset(string.punctuation)
_LINE_BREAK = re.compile("\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")
# Where GFM turns bare text into a link (www., scheme://, user@host): Streamlit's markdown finds
# these in the text after escapes are resolved, so a backslash does not stop them; an invisible
# word joiner (U+2060) does.
_AUTOLINK = re.compile(r"(?i)(?<=www)(?=\.)|(?<=:)(?=/)|(?<=@)")


def md_escape(text: object) -> str:
    """``text`` shown literally by st.markdown and every element that renders markdown: line breaks
    become spaces (no heading underline, list or table can start), every ASCII punctuation character
    is backslash-escaped (no emphasis, link, image, heading, $LaTeX$, :icon: or HTML), and a word
    joiner breaks bare web and e-mail addresses that GFM would link."""
    s = _AUTOLINK.sub("\u2060", _LINE_BREAK.sub(" ", str(text)))
    return "".join("\\" + ch if ch in _MD_PUNCT else ch for ch in s)


def url_label(url: object) -> str:
    """The host name of a URL without 'www.' (the text shown for a source link); '' when blank."""
    if blank(url):
        return ""
    m = re.match(URL_LABEL_RE, str(url).strip())
    if not m:
        return str(url)
    try:  # internationalised names are stored as punycode (xn--...): show them as written
        return m.group(1).encode("ascii").decode("idna")
    except UnicodeError:
        return m.group(1)


def md_url(url: object) -> str:
    """A URL made safe as the target of a markdown link: whitespace, parentheses, angle brackets and
    backslashes percent-encoded, so the target cannot end early or escape what follows."""
    return re.sub(r"[\s()<>\\]", lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), str(url).strip())


def measure_label(measure: str, lang: str) -> str:
    """The label of an asf_facts measure in ``lang``; the code itself for a measure without label."""
    return t_or(f"sociala_foretag.measure.{measure}", lang, measure)


def is_true(value: object) -> bool:
    """Curated booleans are the text 'true'/'false' (or real bools); blank means false."""
    return (not blank(value)) and str(value).strip().lower() == "true"


def valid_search(raw: object) -> bool:
    """True when ``raw`` can be used as the free-text search: a string of at most MAX_SEARCH
    characters with no control characters (newlines, NUL ...). '' (no search) is valid."""
    if not isinstance(raw, str) or len(raw) > MAX_SEARCH:
        return False
    return not any(unicodedata.category(ch) == "Cc" for ch in raw)


def kommun_key(code: object) -> str:
    """The filter key of a register row's municipality: the 4-digit code, or UNKNOWN when blank."""
    return UNKNOWN if blank(code) else str(code).strip()


def lob_column(lang: str) -> str:
    """The line-of-business column shown (and searched) in ``lang``: '..._en' for 'en', else '..._sv'."""
    return "line_of_business_en" if lang == "en" else "line_of_business_sv"


def search_columns(lang: str) -> tuple[str, ...]:
    """The ``asf_register`` columns the free-text search looks in for ``lang``."""
    return ("name", "town", "kommun_name_en" if lang == "en" else "kommun_name", lob_column(lang))


def filter_register(register: pd.DataFrame, *, q: str = "", kommuner: list[str] | None = None,
                    lang: str = "sv") -> pd.DataFrame:
    """Rows of an ``asf_register`` result matching the search and the municipality filter.

    q: plain text, matched case-insensitively as a substring of the name, the town, the kommun's
    name or the line of business in ``lang`` (SEARCH_COLUMNS; no wildcards, no regular
    expressions). '' matches every row.
    kommuner: 4-digit codes and/or UNKNOWN ('okand' = rows with an empty kommun_code); empty or
    None means no municipality filter. Row order is kept.
    """
    mask = pd.Series(True, index=register.index)
    needle = (q or "").strip().casefold()
    if needle:
        hay = pd.Series("", index=register.index)
        for col in search_columns(lang):
            hay = hay + " \u241f " + register[col].fillna("").astype(str).str.casefold()
        mask &= hay.str.contains(needle, regex=False)
    if kommuner:
        mask &= register["kommun_code"].map(kommun_key).isin(set(kommuner))
    return register[mask]


def kommun_label(row: pd.Series, lang: str) -> str:
    """The municipality name of a register row in ``lang``, or 'okänd'/'unknown' when not known."""
    name = row.get("kommun_name_en" if lang == "en" else "kommun_name")
    return t("sociala_foretag.unknown_short", lang) if blank(name) else str(name)


def year_label(year: object, year_note: object, lang: str, *, missing: str | None = None) -> str:
    """A single year as text, else the compilation's own year wording, else ``missing`` (default
    'år okänt'/'year unknown')."""
    if not blank(year):
        return str(int(year))
    if not blank(year_note):
        return str(year_note)
    return missing if missing is not None else t("common.year_unknown", lang)


def approx_number(value: object, approx: bool, lang: str, decimals: int = 0) -> str:
    """'ca 20'/'approx. 20' for an approximate figure, '20' for an exact one, '..' when missing."""
    text = fmt_number(value, lang, decimals)
    if text == MISSING or not approx:
        return text
    return t("sociala_foretag.approx_value", lang, value=text)


def approx_range(low: object, low_approx: bool, high: object, high_approx: bool, lang: str) -> str:
    """A range of stated numbers with each approximate end marked: '16–19'; 'ca 16–20' when both
    ends are approximate; '16 – ca 20' when only one is (spaced, so the mark cannot be read as
    applying to both); one number when low == high; '..' when missing."""
    if blank(low) or blank(high):
        return MISSING
    if low == high:
        return approx_number(low, low_approx and high_approx, lang)
    if low_approx and high_approx:
        return t("sociala_foretag.approx_value", lang, value=f"{fmt_number(low, lang)}\u2013{fmt_number(high, lang)}")
    if low_approx or high_approx:
        return f"{approx_number(low, low_approx, lang)} \u2013 {approx_number(high, high_approx, lang)}"
    return f"{fmt_number(low, lang)}\u2013{fmt_number(high, lang)}"


def fact_value(row: pd.Series, lang: str) -> str:
    """The stated number of one ``asf_facts`` row as text, following the curation rules:
    exact '16'; range '12–15'; lower bound 'minst 40'/'at least 40'; approximate 'ca 50'; else '..'."""
    value, low, high = row.get("value"), row.get("value_low"), row.get("value_high")
    nominal, approx = row.get("value_nominal"), is_true(row.get("approx"))
    if not blank(value):
        return approx_number(value, approx, lang)
    if not blank(low) and not blank(high):
        return f"{fmt_number(low, lang)}\u2013{fmt_number(high, lang)}"
    if not blank(low):
        return t("sociala_foretag.at_least", lang, value=fmt_number(low, lang))
    if not blank(nominal):
        return approx_number(nominal, approx, lang)
    return MISSING


def split_urls(text: object) -> list[str]:
    """The URLs of an ``other_source_urls`` field (' ; '-separated); [] when blank."""
    if blank(text):
        return []
    return [u.strip() for u in str(text).split(";") if u.strip()]


def totals_points(totals: pd.DataFrame) -> pd.DataFrame:
    """Dated county statements in long form, one row per (statement, measure) with a stated value.

    totals: an ``asf_county_statements`` (or ``asf_county_totals``) result. Undated statements
    (year empty) are left out: they are listed in the table, never placed at a made-up year.
    Returns columns measure (one of TOTAL_MEASURES), year (int), value, approx (bool), publisher,
    year_note, quote, source_url; ordered by measure, then year.
    """
    rows = []
    for _, r in totals.iterrows():
        if blank(r.get("year")):
            continue
        for measure in TOTAL_MEASURES:
            if blank(r.get(measure)):
                continue
            approx = is_true(r.get("n_asf_approx" if measure == "n_asf" else "approx"))
            rows.append({"measure": measure, "year": int(r["year"]), "value": float(r[measure]),
                         "approx": approx, "publisher": r.get("publisher"), "year_note": r.get("year_note"),
                         "quote": r.get("quote"), "source_url": r.get("source_url")})
    cols = ["measure", "year", "value", "approx", "publisher", "year_note", "quote", "source_url"]
    out = pd.DataFrame(rows, columns=cols)
    order = {m: i for i, m in enumerate(TOTAL_MEASURES)}
    return out.sort_values(["measure", "year"], key=lambda s: s.map(order) if s.name == "measure" else s,
                           kind="stable").reset_index(drop=True)


def coverage(register: pd.DataFrame, fact_counts: pd.DataFrame) -> dict:
    """Facts for the coverage note, from an ``asf_register`` and an ``asf_fact_counts`` result.

    Returns n_total, n_unknown_kommun (empty kommun_code), n_with_facts (enterprises with at least
    one stated number), n_without_year (no single year of statement), first_year/last_year of the
    single years given (None when there are none) and status_not_stated (names whose source does
    not say they are an ASF).
    """
    years = register["year_of_statement"].dropna()
    with_facts = set(fact_counts["asf_id"]) & set(register["asf_id"])
    status = register[~register["asf_status_note"].map(blank)]
    return {
        "n_total": len(register),
        "n_unknown_kommun": int(register["kommun_code"].map(blank).sum()),
        "n_with_facts": len(with_facts),
        "n_without_year": int(register["year_of_statement"].isna().sum()),
        "first_year": int(years.min()) if not years.empty else None,
        "last_year": int(years.max()) if not years.empty else None,
        "status_not_stated": status["name"].tolist(),
    }


def excluded_organisations(readme: Path = README) -> list[str]:
    """Names the curated README lists under "Excluded from the register" (organisations no source
    calls an ASF), each without the README's explanation; [] when the file or section is missing."""
    try:
        text = readme.read_text(encoding="utf-8")
    except OSError:
        return []
    match = re.search(r"\*\*Excluded from the register[^\n]*\n((?:[ \t]+[^\n]*\n?)+)", text)
    if not match:
        return []
    names = []
    for line in match.group(1).splitlines():
        if not re.match(r"[ \t]+- ", line):
            continue  # a wrapped continuation of the previous item's explanation
        item = line.strip()[2:].strip()
        # The name ends at the first sentence break followed by a capital ("Mora Återbruk. Run under").
        names.append(re.split(r"\.\s+(?=[A-ZÅÄÖ])", item, maxsplit=1)[0].strip())
    return [n for n in names if n]


STATEMENT_MEASURES = (("n_asf", "n_asf_approx"), ("employees", "approx"), ("work_training", "approx"),
                      ("people_occupied", "approx"), ("turnover_msek", "approx"))


def statements_frame(totals: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The county-level ASF statements (an ``asf_county_statements`` result, dated ones first,
    undated after them) as shown on Översikt and Sociala företag: the year ('år okänt' when
    undated), every number as text with its approximate flag ('ca 120' / 'approx. 120', '..' when
    not stated), publisher, quote, link, the compilation's own year wording and its note."""
    out = pd.DataFrame({"year": [year_label(y, None, lang) for y in totals["year"]]})
    for col, flag in STATEMENT_MEASURES:
        out[col] = [approx_number(v, is_true(a), lang) for v, a in zip(totals[col], totals[flag])]
    for col in ("publisher", "quote", "source_url", "year_note", "note"):
        out[col] = totals[col].tolist()
    return out
