"""The downloadable register template (XLSX) and the current register as a file."""

from __future__ import annotations

import io

import pandas as pd

from atlas.admin.validate import COMPANY_SOURCE, EXAMPLE_NAME, FILE_COLUMNS

# One filled example row. The name marks it as an example; the validator rejects the row if it is
# left in. The organisationsnummer is left empty so no real company's number is put in an example.
EXAMPLE = {
    "id": "", "namn": EXAMPLE_NAME, "organisationsnummer": "",
    "kommunkod": "2080", "ort": "Falun", "verksamhet": "Snickeri och städtjänster",
    "tjänster_till_köpare": "Lokalvård; enklare snickeriarbeten", "kontaktsida": "https://example.org/kontakt",
    "juridisk_form": "ekonomisk förening", "grundat_år": "2015", "år": "2024", "anställda": "12",
    "arbetsträning": "8", "omsättning_tkr": "4500,5", "källa": COMPANY_SOURCE, "källdatum": "2025-03-01",
}


def _xlsx(df: pd.DataFrame, sheet: str):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(list(df.columns))
    for c in ws[1]:
        c.font = Font(bold=True)
    for row in df.itertuples(index=False):
        ws.append(["" if v is None else str(v) for v in row])
    for col in ws.columns:  # every cell text: Excel must not turn 2080 into a number or 0114 into 114
        for c in col:
            c.number_format = "@"
        ws.column_dimensions[col[0].column_letter].width = max(12, len(str(col[0].value)) + 4)
    return wb, ws


def template_xlsx() -> bytes:
    """XLSX with the register's columns and one example row marked as an example (highlighted,
    named "EXEMPEL – ta bort denna rad")."""
    from openpyxl.styles import PatternFill

    wb, ws = _xlsx(pd.DataFrame([EXAMPLE], columns=FILE_COLUMNS), "register")
    for c in ws[2]:
        c.fill = PatternFill("solid", fgColor="FFF2CC")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def register_xlsx(register: pd.DataFrame) -> bytes:
    """The current register (store.register_frame) as an XLSX file that can be edited and uploaded."""
    wb, _ = _xlsx(register[FILE_COLUMNS], "register")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
