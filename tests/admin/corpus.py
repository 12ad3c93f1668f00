"""Generate malformed register files from the committed curated register (its seed state).

``corpus(base, kommun)`` returns a list of Case(name, data, file_name, key, row, column, params):
each file has exactly one kind of defect and the problem the validator must report first (the
message key, the row as the user sees it, the column, and params that must be among the problem's).
``base`` is the seed state as a register frame (atlas.admin.store.register_frame), so every value
that is not the defect comes from the curated data; ``kommun`` is a kommun code from the database.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from atlas.admin import xlsx as sheet
from atlas.admin.validate import (BOUNDS, COMPANY_SOURCE, EXAMPLE_NAME, FILE_COLUMNS, MAX_BYTES, MAX_COLUMNS,
                                  MAX_ROWS, luhn_ok)
from tools.bench_uploads import BOMBS, SHEET_HEAD, inline_row, workbook


@dataclass
class Case:
    name: str
    data: bytes
    key: str
    file_name: str = "register.csv"
    row: int | None = None
    column: str | None = None
    params: dict = field(default_factory=dict)


def valid_orgnr(prefix: str = "556677889") -> str:
    """A 10-digit number with a correct Luhn check digit (synthetic, for tests only)."""
    return next(f"{prefix[:6]}-{prefix[6:]}{d}" for d in "0123456789" if luhn_ok(prefix + d))


def bad_orgnr(prefix: str = "556677889") -> str:
    good = valid_orgnr(prefix)
    return good[:-1] + str((int(good[-1]) + 1) % 10)


def csv_bytes(df: pd.DataFrame, *, sep: str = ",", encoding: str = "utf-8") -> bytes:
    return df.to_csv(index=False, sep=sep).encode(encoding)


def xlsx_bytes(df: pd.DataFrame, formula_cell: tuple[int, str, str] | None = None) -> bytes:
    """An XLSX of ``df`` (all cells as text); formula_cell=(df row, column, formula) writes a real
    formula into that cell."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(list(df.columns))
    for row in df.itertuples(index=False):
        ws.append([str(v) for v in row])
    if formula_cell:
        i, col, formula = formula_cell
        ws.cell(row=i + 2, column=list(df.columns).index(col) + 1, value=formula)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def sheet_xlsx(rows_xml: str, head: str = "", extra: dict[str, bytes] | None = None, **kw) -> bytes:
    """A minimal XLSX whose sheet is the register header followed by ``rows_xml`` (<row> elements);
    ``head`` goes before sheetData (a dimension, a DTD...)."""
    xml = SHEET_HEAD + head + "<sheetData>" + inline_row(1, FILE_COLUMNS) + rows_xml + "</sheetData></worksheet>"
    return workbook(xml, extra, **kw)


def _set(base: pd.DataFrame, i: int, **cells) -> pd.DataFrame:
    df = base.copy()
    for col, value in cells.items():
        df.loc[i, col] = value
    return df


def corpus(base: pd.DataFrame, kommun: str) -> list[Case]:
    """At least 40 malformed files; see the module docstring."""
    b = base.reset_index(drop=True)
    fact_i = int(b.index[b["år"] != ""][0])  # the first row that carries a yearly fact
    fact_year = int(b.loc[fact_i, "år"])
    ent_i = 0  # the first enterprise's own row (no year)
    row = lambda i: i + 2  # noqa: E731  (header is row 1)
    this_year = date.today().year
    cases: list[Case] = []
    add = cases.append

    # Encodings and file types
    add(Case("utf16", csv_bytes(b, encoding="utf-16"), "encoding_utf16"))
    text = csv_bytes(b).decode("utf-8")
    add(Case("undefined_cp1252_bytes", text.encode("cp1252", "replace").replace(b"Koopus", b"Ko\x81pus"),
             "encoding_unknown"))
    add(Case("nul_bytes", b"\x00\x01\x02" * 100, "binary"))
    add(Case("pdf", b"%PDF-1.7\n" + b"x" * 200, "binary"))
    add(Case("old_xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200, "binary", file_name="register.xls"))
    add(Case("zip_not_xlsx", b"PK\x03\x04" + b"garbage" * 50, "xlsx_unreadable", file_name="register.xlsx"))
    add(Case("csv_named_xlsx", csv_bytes(b), "xlsx_unreadable", file_name="register.xlsx"))
    add(Case("control_chars_cp1252", b"namn\x01\x02;ort\n\x81\x03", "encoding_unknown"))
    add(Case("tab_separated", csv_bytes(b, sep="\t"), "separator_unknown", row=1))

    # Empty, header only, too large
    add(Case("empty", b"", "empty_file"))
    add(Case("blank_lines_bom", b"\xef\xbb\xbf\r\n \r\n", "empty_file"))
    add(Case("header_only", (",".join(FILE_COLUMNS) + "\n").encode(), "no_rows"))
    big = csv_bytes(b)
    add(Case("five_mb", big * (5 * 1024 * 1024 // len(big) + 1), "too_large", params={"max_mb": "2"}))
    add(Case("just_over_limit", b"a" * (MAX_BYTES + 1), "too_large"))

    # Columns
    add(Case("missing_kalla", csv_bytes(b.drop(columns=["källa"])), "missing_columns", row=1,
             params={"columns": "källa"}))
    add(Case("missing_two", csv_bytes(b.drop(columns=["kommunkod", "år"])), "missing_columns", row=1,
             params={"columns": "kommunkod, år"}))
    add(Case("extra_column", csv_bytes(b.assign(extra="x")), "unknown_columns", row=1, params={"columns": "extra"}))
    add(Case("misspelled_column", csv_bytes(b.rename(columns={"kommunkod": "kommun"})), "unknown_columns",
             row=1, params={"columns": "kommun"}))
    dup = csv_bytes(b).decode().splitlines()
    dup[0] = dup[0].replace("ort,", "namn,", 1)
    add(Case("duplicate_column", ("\n".join(dup) + "\n").encode(), "duplicate_columns", row=1,
             params={"columns": "namn"}))
    lines = csv_bytes(b).decode().splitlines()
    lines[1] += ",surplus"
    add(Case("too_many_cells", ("\n".join(lines) + "\n").encode(), "too_many_cells", row=2,
             params={"found": len(FILE_COLUMNS) + 1}))

    # Organisationsnummer, kommun
    add(Case("orgnr_checksum", csv_bytes(_set(b, ent_i, organisationsnummer=bad_orgnr())), "orgnr_checksum",
             row=row(ent_i), column="organisationsnummer", params={"value": bad_orgnr()}))
    add(Case("orgnr_nine_digits", csv_bytes(_set(b, ent_i, organisationsnummer="55667788")), "orgnr_format",
             row=row(ent_i), column="organisationsnummer"))
    add(Case("orgnr_letters", csv_bytes(_set(b, ent_i, organisationsnummer="55667788AB")), "orgnr_format",
             row=row(ent_i), column="organisationsnummer"))
    add(Case("orgnr_checksum_semicolon", csv_bytes(_set(b, ent_i, organisationsnummer=bad_orgnr("212000253")),
                                                   sep=";"), "orgnr_checksum", row=row(ent_i)))
    add(Case("kommun_unknown", csv_bytes(_set(b, ent_i, kommunkod="9999")), "kommun_unknown", row=row(ent_i),
             column="kommunkod", params={"value": "9999"}))
    add(Case("kommun_lan_code", csv_bytes(_set(b, ent_i, kommunkod=kommun[:2])), "kommun_format", row=row(ent_i),
             column="kommunkod"))
    add(Case("kommun_letters", csv_bytes(_set(b, ent_i, kommunkod=kommun[:2] + "A1")), "kommun_format",
             row=row(ent_i), column="kommunkod"))

    # Numbers and years
    add(Case("negative_employees", csv_bytes(_set(b, fact_i, anställda="-3")), "negative", row=row(fact_i),
             column="anställda", params={"value": "-3"}))
    add(Case("negative_turnover_cp1252", csv_bytes(_set(b, fact_i, omsättning_tkr="-12,5"), sep=";",
                                                   encoding="cp1252"), "negative", row=row(fact_i),
             column="omsättning_tkr"))
    add(Case("fraction_of_person", csv_bytes(_set(b, fact_i, arbetsträning="2,5"), sep=";"), "not_integer",
             row=row(fact_i), column="arbetsträning"))
    add(Case("word_not_number", csv_bytes(_set(b, fact_i, anställda="många")), "not_number", row=row(fact_i),
             column="anställda"))
    add(Case("founded_1700", csv_bytes(_set(b, ent_i, grundat_år="1700")), "year_range", row=row(ent_i),
             column="grundat_år", params={"value": "1700"}))
    add(Case("fact_next_year", csv_bytes(_set(b, fact_i, år=str(this_year + 1))), "year_range", row=row(fact_i),
             column="år", params={"value": str(this_year + 1)}))
    add(Case("year_text", csv_bytes(_set(b, fact_i, år="ifjol")), "not_year", row=row(fact_i), column="år"))
    add(Case("facts_without_year", csv_bytes(_set(b, ent_i, anställda="4")), "year_required", row=row(ent_i),
             column="år"))
    add(Case("year_before_founded", csv_bytes(_set(b, fact_i, grundat_år=str(fact_year + 1))),
             "year_before_founded", row=row(fact_i), column="år"))

    # Formulas
    add(Case("formula_equals", csv_bytes(_set(b, ent_i, namn="=HYPERLINK(\"http://x\")")), "formula",
             row=row(ent_i), column="namn"))
    add(Case("formula_at", csv_bytes(_set(b, ent_i, verksamhet="@SUM(A1)")), "formula", row=row(ent_i),
             column="verksamhet"))
    add(Case("formula_plus", csv_bytes(_set(b, ent_i, ort="+cmd|'/c calc'!A0")), "formula", row=row(ent_i),
             column="ort"))
    add(Case("formula_minus_text", csv_bytes(_set(b, ent_i, juridisk_form="-2+3+cmd")), "formula",
             row=row(ent_i), column="juridisk_form"))
    add(Case("formula_in_xlsx", xlsx_bytes(b, (fact_i, "anställda", "=1+1")), "formula", file_name="register.xlsx",
             row=row(fact_i), column="anställda"))

    # Duplicates and conflicts
    add(Case("duplicate_fact_row", csv_bytes(pd.concat([b, b.iloc[[fact_i]]], ignore_index=True)),
             "duplicate_year", row=row(len(b)), params={"first": row(fact_i)}))
    add(Case("duplicate_enterprise_row", csv_bytes(pd.concat([b, b.iloc[[ent_i]]], ignore_index=True)),
             "duplicate_row", row=row(len(b)), params={"first": row(ent_i)}))
    other = int(b.index[(b["id"] != b.loc[ent_i, "id"]) & (b["år"] == "")][0])
    add(Case("duplicate_orgnr", csv_bytes(_set(_set(b, ent_i, organisationsnummer=valid_orgnr()), other,
                                               organisationsnummer=valid_orgnr())),
             "duplicate_orgnr", row=row(other), column="organisationsnummer", params={"first": row(ent_i)}))
    add(Case("conflicting_kommun", csv_bytes(_set(b, fact_i, kommunkod=kommun if b.loc[fact_i, "kommunkod"] != kommun
                                                   else str(int(kommun) + 1))),
             "conflict", row=row(fact_i), column="kommunkod"))

    # Required values, ids, sources
    add(Case("name_missing", csv_bytes(_set(b, ent_i, namn="")), "required", row=row(ent_i), column="namn"))
    add(Case("example_row_left", csv_bytes(_set(b, ent_i, namn=EXAMPLE_NAME)), "example_row", row=row(ent_i)))
    add(Case("bad_id", csv_bytes(_set(b, ent_i, id="Koopus AB!")), "bad_id", row=row(ent_i), column="id"))
    add(Case("contact_without_scheme", csv_bytes(_set(b, ent_i, kontaktsida="www.example.se")), "bad_url",
             row=row(ent_i), column="kontaktsida"))
    add(Case("source_missing", csv_bytes(_set(b, ent_i, källa="")), "source_required", row=row(ent_i),
             column="källa"))
    add(Case("source_free_text", csv_bytes(_set(b, ent_i, källa="tidningen")), "bad_source", row=row(ent_i),
             column="källa", params={"literal": COMPANY_SOURCE}))
    add(Case("company_source_no_date", csv_bytes(_set(b, ent_i, källa=COMPANY_SOURCE, källdatum="")),
             "date_required", row=row(ent_i), column="källdatum"))
    add(Case("bad_date", csv_bytes(_set(b, ent_i, källa=COMPANY_SOURCE, källdatum="2024-13-01")), "bad_date",
             row=row(ent_i), column="källdatum"))
    add(Case("future_date", csv_bytes(_set(b, ent_i, källa=COMPANY_SOURCE, källdatum=f"{this_year + 1}-01-01")),
             "future_date", row=row(ent_i), column="källdatum"))
    add(Case("text_too_long", csv_bytes(_set(b, ent_i, verksamhet="x" * 1001)), "too_long", row=row(ent_i),
             column="verksamhet"))
    cases.extend(hostile(b, kommun, ent_i, fact_i))
    return cases


def hostile(b: pd.DataFrame, kommun: str, ent_i: int, fact_i: int) -> list[Case]:
    """Files built to hurt: bombs that cost time or memory, numbers that overflow or could be
    misread, text that acts on a screen, encodings named wrongly. Each was accepted, misread or
    slow before the upload limits (issue 12)."""
    row = lambda i: i + 2  # noqa: E731
    cases: list[Case] = []
    add = cases.append

    # Bombs (tools.bench_uploads measures their time and memory)
    name, data = BOMBS["far_row"]()
    add(Case("far_row_xlsx", data, "too_many_rows", file_name=name, params={"max": MAX_ROWS}))
    name, data = BOMBS["zip_bomb"]()
    add(Case("zip_bomb_xlsx", data, "xlsx_unpacked", file_name=name))
    name, data = BOMBS["wide_header"]()
    add(Case("wide_header_csv", data, "too_many_columns", row=1, file_name=name, params={"max": MAX_COLUMNS}))
    short_row = ",x" + "," * (len(FILE_COLUMNS) - 2) + "\n"
    add(Case("too_many_rows_csv", (",".join(FILE_COLUMNS) + "\n" + short_row * (MAX_ROWS + 1)).encode(),
             "too_many_rows", params={"max": MAX_ROWS}))
    laughs = ('<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
              '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>')
    add(Case("xlsx_entity_expansion", workbook(SHEET_HEAD.replace("<worksheet", laughs + "<worksheet")
                                               + "<sheetData>" + inline_row(1, ["&c;"]) + "</sheetData></worksheet>"),
             "xlsx_dtd", file_name="laughs.xlsx"))
    add(Case("xlsx_many_parts", sheet_xlsx("", extra={f"xl/media/p{i}.bin": b"x" for i in range(sheet.MAX_MEMBERS)}),
             "xlsx_members", file_name="parts.xlsx", params={"max": sheet.MAX_MEMBERS}))
    add(Case("xlsx_bzip2_part", sheet_xlsx("", compression=zipfile.ZIP_BZIP2), "xlsx_unreadable",
             file_name="bz.xlsx"))
    add(Case("xlsx_row_of_empty_cells", sheet_xlsx('<row r="2">' + "<c/>" * (sheet.MAX_CELLS_PER_ROW + 1) + "</row>"),
             "too_many_columns", file_name="wide.xlsx"))
    add(Case("xlsx_value_far_right", sheet_xlsx('<row r="2"><c r="AZ2" t="inlineStr"><is><t>x</t></is></c></row>'),
             "too_many_columns", file_name="right.xlsx"))
    add(Case("xlsx_junk_elements", workbook(SHEET_HEAD + "<sheetData>" + inline_row(1, FILE_COLUMNS) + "</sheetData>"
                                            + "<x/>" * (sheet.MAX_ELEMENTS + 1) + "</worksheet>"),
             "xlsx_elements", file_name="junk.xlsx", params={"max": sheet.MAX_ELEMENTS}))
    add(Case("xlsx_huge_styles_part", sheet_xlsx("", extra={"xl/styles.xml": b"<styleSheet>" + b" " * (
        sheet.MAX_PART + 1) + b"</styleSheet>"}), "xlsx_unpacked", file_name="styles.xlsx"))

    # Numbers
    add(Case("turnover_400_nines", csv_bytes(_set(b, fact_i, omsättning_tkr="9" * 400)), "out_of_range",
             row=row(fact_i), column="omsättning_tkr", params={"high": BOUNDS["omsattning_tkr"][1]}))
    add(Case("employees_10_15", csv_bytes(_set(b, fact_i, anställda=str(10 ** 15))), "out_of_range",
             row=row(fact_i), column="anställda", params={"high": BOUNDS["anstallda"][1]}))
    add(Case("training_over_bound_grouped", csv_bytes(_set(b, fact_i, arbetsträning="12 000")), "out_of_range",
             row=row(fact_i), column="arbetsträning"))
    add(Case("thousands_comma_ambiguous", csv_bytes(_set(b, fact_i, omsättning_tkr="1,234"), sep=";"),
             "ambiguous_number", row=row(fact_i), column="omsättning_tkr"))
    add(Case("thousands_point_ambiguous", csv_bytes(_set(b, fact_i, anställda="1.234")), "ambiguous_number",
             row=row(fact_i), column="anställda"))
    add(Case("misgrouped_thousands", csv_bytes(_set(b, fact_i, omsättning_tkr="12 34")), "not_number",
             row=row(fact_i), column="omsättning_tkr"))
    add(Case("xlsx_infinite_number", sheet_xlsx(
        inline_row(2, ["a", "A", "", "", "", "", "", "", "", "", "2020"]).replace("</row>", "")
        + '<c r="L2"><v>1e999</v></c>' + "</row>"), "out_of_range", file_name="inf.xlsx", row=2,
        column="anställda"))

    # Kommun, ids
    add(Case("kommun_other_county", csv_bytes(_set(b, ent_i, kommunkod="0180")), "kommun_other_county",
             row=row(ent_i), column="kommunkod", params={"value": "0180"}))
    add(Case("name_only_punctuation", csv_bytes(_set(b, ent_i, namn="!!! ???")), "name_no_letters",
             row=row(ent_i), column="namn"))

    # Control, bidi and line-break characters, on every decoding path
    for label, ch in (("esc", "\x1b"), ("bel", "\x07"), ("rlo", "\u202e"), ("lri", "\u2066"), ("nel", "\x85"),
                      ("line_separator", "\u2028"), ("inner_bom", "\ufeff")):
        add(Case(f"control_{label}_utf8", csv_bytes(_set(b, ent_i, namn=f"Koopus{ch}exe.gpj")), "control_char",
                 row=row(ent_i), column="namn", params={"char": f"U+{ord(ch):04X}"}))
    add(Case("control_esc_bom", b"\xef\xbb\xbf" + csv_bytes(_set(b, ent_i, ort="Falun\x1b[2J")), "control_char",
             row=row(ent_i), column="ort"))
    add(Case("control_esc_cp1252", csv_bytes(_set(b, ent_i, ort="Sälen\x1b"), sep=";", encoding="cp1252"),
             "control_char", row=row(ent_i), column="ort"))
    add(Case("control_rlo_xlsx", xlsx_bytes(_set(b, ent_i, verksamhet="Caf\u202eé")), "control_char",
             file_name="bidi.xlsx", row=row(ent_i), column="verksamhet"))
    add(Case("control_in_header", csv_bytes(b.rename(columns={"ort": "ort\u202e"})), "control_char", row=1))
    add(Case("line_break_in_name", csv_bytes(_set(b, ent_i, namn="Falun\n======")), "line_break", row=row(ent_i),
             column="namn"))

    # Encodings named as they are
    add(Case("utf32", csv_bytes(b, encoding="utf-32"), "encoding_utf32"))
    add(Case("utf32_be", "\ufeff".encode("utf-32-be") + csv_bytes(b, encoding="utf-32-be"), "encoding_utf32"))
    add(Case("utf16_no_bom", csv_bytes(b, encoding="utf-16-le"), "encoding_utf16"))
    add(Case("utf32_no_bom", csv_bytes(b, encoding="utf-32-le"), "encoding_utf32"))
    add(Case("double_bom", b"\xef\xbb\xbf\xef\xbb\xbf" + csv_bytes(b), "encoding_double_bom"))
    return cases
