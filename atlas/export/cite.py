"""One citation, four formats: plain text, BibTeX, RIS and CSL-JSON.

Every citation the atlas gives (a figure card, a download's metadata.json and README, the data page,
Om datan, the printed report) is made by ``make_citation``: the atlas as author, what was cited
(a figure's title, a selection, a report), the data version it was drawn from (atlas.versions: the
build date and the first digits of the input hash) and the share link of the exact view.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from atlas.i18n import t

APP_NAME = "Inkluderingsatlas"
FORMATS = ("text", "bibtex", "ris", "csl_json")
_MAX_TITLE = 300  # a title comes from the view (an indicator, a region, a group name): bounded

# Characters LaTeX reads as commands; in a braced BibTeX field they are written as commands.
_LATEX = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
          "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _one_line(text: object, limit: int = _MAX_TITLE) -> str:
    """Text on one line (RIS is line-based; a newline would start a new tag), control characters
    removed, at most ``limit`` characters."""
    flat = re.sub(r"[\x00-\x1f\x7f\u2028\u2029]+", " ", str(text or ""))
    return re.sub(r"\s+", " ", flat).strip()[:limit]


def safe_url(url: str) -> str:
    """``url`` with characters that would break a BibTeX field or an RIS line percent-encoded
    (braces, backslash, spaces, control characters, quotes); '' for anything not http(s)."""
    url = _one_line(url, 4000)
    if not re.match(r"^https?://", url, re.I):
        return ""
    return quote(url, safe=":/?&=%+,;@!$'()*-._~#[]")


def _version_date(version: str) -> date | None:
    try:
        return date.fromisoformat(version[:10])
    except ValueError:
        return None


def _parts(d: date) -> list[int]:
    return [d.year, d.month, d.day]


@dataclass(frozen=True)
class Citation:
    """A citation of something shown by the atlas. title: what was cited (may be empty); url: the
    share link of the view ('' when unknown); version: the data version id ('' when none);
    accessed: the day it was retrieved; lang: 'sv' | 'en'."""

    lang: str
    title: str
    url: str
    version: str
    accessed: date

    @property
    def issued(self) -> date:
        """The data version's build date (the day the cited data were published in the atlas); the
        day of retrieval when there is no version."""
        return _version_date(self.version) or self.accessed

    @property
    def text(self) -> str:
        """The plain citation, e.g. 'Inkluderingsatlas (2026), dataversion 2026-12-03.1a2b3c4d.
        Arbetslöshet 20–64 år. Hämtad 2026-12-05 från https://... Bearbetning av offentlig statistik;
        ange även originalkällan.'"""
        lang, year = self.lang, self.accessed.year
        head = (t("export.citation_versioned", lang, app=APP_NAME, year=year, version=self.version) if self.version
                else t("export.citation_head", lang, app=APP_NAME, year=year))
        parts = [head]
        if self.title:
            parts.append(self.title.rstrip(".") + ".")
        when = self.accessed.isoformat()
        parts.append(t("export.citation_retrieved_from", lang, date=when, url=self.url) if self.url
                     else t("export.citation_retrieved", lang, date=when))
        parts.append(t("export.citation_note", lang))
        return " ".join(parts)

    @property
    def key(self) -> str:
        """A BibTeX key: 'inkluderingsatlas2026_arbetsloshet-20-64-ar' (ASCII, stable for a title)."""
        from atlas.figures.spec import slug

        tail = slug(self.title).lower()[:40].strip("-") if self.title else ""
        return f"inkluderingsatlas{self.accessed.year}" + (f"_{tail}" if tail and tail != "x" else "")

    def _title_or_app(self) -> str:
        return self.title or APP_NAME

    def bibtex(self) -> str:
        """A biblatex/BibTeX @misc entry (UTF-8; LaTeX specials in the title escaped)."""
        def braced(text: str) -> str:
            return "".join(_LATEX.get(ch, ch) for ch in text)

        fields = [
            ("author", "{" + APP_NAME + "}"),  # braced: an organisation, not a 'Last, First'
            ("title", "{" + braced(self._title_or_app()) + "}"),
            ("year", str(self.issued.year)),
            ("date", self.issued.isoformat()),
        ]
        if self.version:
            fields.append(("version", braced(self.version)))
        if self.url:
            fields.append(("url", self.url))
            # inside another command's argument \url needs % and # escaped (the url package's rule)
            fields.append(("howpublished", r"\url{" + re.sub(r"([%#])", r"\\\1", self.url) + "}"))
        fields += [("urldate", self.accessed.isoformat()), ("language", "swedish" if self.lang == "sv" else "english"),
                   ("note", braced(t("export.citation_note", self.lang)))]
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        return f"@misc{{{self.key},\n{body}\n}}\n"

    def ris(self) -> str:
        """An RIS record of type DATA (a dataset), CRLF line ends as the format asks."""
        d, a = self.issued, self.accessed
        lines = [("TY", "DATA"), ("AU", APP_NAME), ("TI", _one_line(self._title_or_app())),
                 ("PY", str(d.year)), ("DA", f"{d.year}/{d.month:02d}/{d.day:02d}")]
        if self.version:
            lines.append(("ET", self.version))  # RIS has no version tag; ET (edition) is what readers map it to
        if self.url:
            lines.append(("UR", self.url))
        lines += [("Y2", f"{a.year}/{a.month:02d}/{a.day:02d}"), ("LA", self.lang),
                  ("N1", t("export.citation_note", self.lang)), ("ER", "")]
        return "".join(f"{tag}  - {value}\r\n" for tag, value in lines)

    def csl(self) -> dict:
        """One CSL-JSON item (type dataset)."""
        item = {"id": self.key, "type": "dataset", "title": self._title_or_app(),
                "author": [{"literal": APP_NAME}], "issued": {"date-parts": [_parts(self.issued)]},
                "accessed": {"date-parts": [_parts(self.accessed)]},
                "language": "sv-SE" if self.lang == "sv" else "en-GB", "note": t("export.citation_note", self.lang)}
        if self.version:
            item["version"] = self.version
        if self.url:
            item["URL"] = self.url
        return item

    def csl_json(self) -> str:
        """CSL-JSON text: a list with the one item (what reference managers import)."""
        return json.dumps([self.csl()], ensure_ascii=False, indent=2)

    def formats(self) -> dict[str, str]:
        """Format name (FORMATS) -> the citation in that format."""
        return {"text": self.text, "bibtex": self.bibtex(), "ris": self.ris(), "csl_json": self.csl_json()}

    def document(self) -> dict:
        """The citation for metadata.json: every format, the view's link and the data version."""
        return {"text": self.text, "bibtex": self.bibtex(), "ris": self.ris(), "csl_json": [self.csl()],
                "url": self.url or None, "data_version": self.version or None}


FILE_TYPES = {"bibtex": ("bib", "application/x-bibtex"), "ris": ("ris", "application/x-research-info-systems"),
              "csl_json": ("json", "application/vnd.citationstyles.csl+json"), "text": ("txt", "text/plain")}


def make_citation(lang: str, *, title: str = "", url: str = "", version: str = "",
                  today: date | None = None) -> Citation:
    """The citation of ``title`` (what is cited; '' for the atlas as a whole) as seen at ``url``
    (the view's share link; dropped unless http(s)) in data version ``version`` ('' when unknown),
    retrieved ``today`` (default: today). lang: 'sv' | 'en'."""
    return Citation(lang="en" if lang == "en" else "sv", title=_one_line(title), url=safe_url(url),
                    version=_one_line(version, 64), accessed=today or date.today())
