"""Admin: keep the ASF register current (upload, edit, audit log, restore, template).
Reachable only for an authenticated admin (atlas.ui.admin_auth)."""

import hashlib
import json
from datetime import date

import pandas as pd
import streamlit as st

from atlas.admin import store, template, validate, xlsx
from atlas.asf import md_escape
from atlas.build import BuildError, build
from atlas.export.tables import to_csv_bytes
from atlas.i18n import fmt_number, t
from atlas.ui.admin_auth import require_admin
from atlas.ui.update_panel import update_panel
from atlas.ui.data import query, step_text
from atlas.ui.state import lang

lang = lang()
st.title(t("admin.title", lang))
if st.context.is_embedded:  # never inside another site's frame (nginx forbids it too: frame-ancestors)
    st.error(t("admin.embedded", lang))
    st.stop()
who = require_admin(lang)
st.caption(t("admin.auth.signed_in", lang, who=who))
st.markdown(t("admin.intro", lang))

regions = query("regions_all")
# A register row may only name a kommun of the register's county; the others get their own message.
kommuner = regions[regions["level"] == "kommun"]
KOMMUN_CODES = tuple(sorted(kommuner.loc[kommuner["parent_code"] == validate.REGISTER_LAN, "code"]))
OTHER_CODES = tuple(sorted(set(kommuner["code"]) - set(KOMMUN_CODES)))
COUNTY = dict(zip(regions["code"], regions["name_en" if lang == "en" else "name"])).get(validate.REGISTER_LAN,
                                                                                        validate.REGISTER_LAN)


FIELD_NAMES = {**validate.COLUMN_OF, "source_url": "källa", "source_note": "källa", "source_date": "källdatum",
               **{f: t(f"admin.field_{f}", lang) for f in ("measure", "value", "quote", "note")},
               "value_nominal": t("admin.field_value", lang)}


def preview(summary: dict) -> pd.DataFrame:
    df = store.diff_frame(summary)
    df["table"] = df["table"].map(lambda x: t(f"admin.table_{x}", lang))
    df["change"] = df["change"].map(lambda x: t(f"admin.change_{x}", lang))
    df["field"] = df["field"].map(lambda f: FIELD_NAMES.get(f, f))  # the file's column names
    return df.rename(columns={c: t(f"admin.col_{c}", lang) for c in df.columns})


def busy(exc: store.StoreBusy) -> None:
    """Another administrator (or a build) holds the store: say so and offer a retry; nothing changed."""
    st.warning(t("admin.store_busy", lang))
    st.button(t("admin.retry", lang), key="store_retry")
    st.stop()


def unavailable(exc: store.StoreError) -> None:
    """PostgreSQL down, refusing the login, or tables from another version: say which; nothing was
    read or written, and the public pages keep serving the last built database."""
    if isinstance(exc, store.StoreUnavailable):
        st.error(t(f"admin.store_unavailable_{exc.reason}", lang))
    elif isinstance(exc, store.StoreSchemaError):
        st.error(t("admin.store_schema", lang))
    else:
        st.error(t("admin.store_failed", lang, error=str(exc)))
    st.button(t("admin.retry", lang), key="store_retry")
    st.stop()


def conflict(exc: store.StoreConflict) -> None:
    """Another administrator saved after the state this page showed: what they changed, and a way
    to load the current state. Nothing of this administrator's was written."""
    who = ", ".join(dict.fromkeys(md_escape(str(e["who"])) for e in exc.entries))
    st.warning(t("admin.conflict", lang, who=who, ids=", ".join(f"#{e['id']}" for e in exc.entries)))
    if exc.summary is None:
        st.caption(t("admin.conflict_unknown", lang))
    else:
        st.dataframe(preview(exc.summary), hide_index=True, width="stretch")
    st.button(t("admin.conflict_reload", lang), key="conflict_reload", type="primary",
              on_click=lambda: st.session_state.update({SEEN: exc.latest}))
    st.stop()


def save_failed(exc: store.StoreError) -> None:
    """A save that did not go through: busy, another admin first, the server gone, or unknown."""
    if isinstance(exc, store.StoreBusy):
        busy(exc)
    if isinstance(exc, store.StoreConflict):
        conflict(exc)
    if isinstance(exc, (store.StoreUnavailable, store.StoreSchemaError)):
        unavailable(exc)
    if isinstance(exc, store.StoreUncertain):
        st.warning(t("admin.store_uncertain", lang))
        st.stop()
    st.error(t("admin.apply_failed", lang, error=str(exc)))


try:  # one consistent read: the newest log id is the state the tables show
    tables, log = store.load_with_log()
except store.StoreBusy as exc:
    busy(exc)
except store.StoreError as exc:
    unavailable(exc)
st.caption(t("admin.store_caption", lang, path=store.describe(),
             last=f"#{int(log['id'].max())} {log.iloc[0]['at'].replace('T', ' ').replace('+00:00', ' UTC')}"))

# The state this administrator works on: the newest entry when the page was first shown, moved on
# only by their own saves or by "load the current register". Widget keys carry it, so another
# administrator's save does not silently clear an upload or an edit in progress: the next click
# shows what changed instead, and a save against it is refused (store.StoreConflict).
SEEN = "admin_seen_id"
last_id = st.session_state.setdefault(SEEN, int(log["id"].max()))
if last_id != int(log["id"].max()):
    try:
        changed = store.changes_since(last_id)
    except store.StoreError as exc:
        unavailable(exc)
    if changed is not None and changed.entries:
        conflict(changed)
    st.session_state[SEEN] = last_id = int(log["id"].max())  # the store went back (e.g. replaced)


def render(p: validate.Problem) -> str:
    # Limits and bounds are numbers: written the reader's way (5 000 / 5,000); rows and years are not.
    params = {k: fmt_number(v, lang) if k in ("low", "high", "max", "n") else v for k, v in p.params.items()}
    return t(f"admin.err.{p.key}", lang, **{"county": COUNTY, **params})


@st.cache_data(max_entries=16, show_spinner=False)
def checked(sha256: str, file_name: str, codes: tuple[str, ...], others: tuple[str, ...], today: str,
            _data: bytes) -> validate.Validation:
    """validate() once per file content (keyed by its SHA-256, not the bytes): the page reruns on
    every click, and a large hostile file must not be parsed again each time."""
    return validate.validate(_data, file_name, frozenset(codes), date.fromisoformat(today),
                             other_kommun_codes=frozenset(others))


def check(data: bytes, file_name: str) -> validate.Validation:
    return checked(hashlib.sha256(data).hexdigest(), file_name, KOMMUN_CODES, OTHER_CODES, date.today().isoformat(),
                   data)


def rebuild() -> None:
    """Rebuild the public database (temp file + rename) with a progress bar."""
    with st.status(t("admin.rebuild_running", lang), expanded=True) as status:
        bar = st.progress(0.0)
        try:
            build(force=True, trigger="admin",
                  progress=lambda f, s: bar.progress(min(max(f, 0.0), 1.0), text=step_text(s, lang)))
        except BuildError as exc:
            status.update(state="error")
            st.warning(t("admin.rebuild_failed", lang, error=str(exc)))
            return
        status.update(label=t("admin.rebuild_done", lang), state="complete", expanded=False)


def review(res: validate.Validation, *, file_name: str, action: str, key: str) -> None:
    """Show the problems, or the preview of changes with a confirm + save button."""
    if not res.ok:
        # A problem with the whole file is one piece of advice: in the box, where it is read in full.
        whole = [md_escape(render(p)) for p in res.problems if p.row is None]
        st.error("  \n".join([t("admin.invalid", lang, n=len(res.problems) + res.omitted), *whole]))
        rows = [p for p in res.problems if p.row is not None]
        if rows:  # row and column narrow: the message gets the width
            names = {c: t(f"admin.col_{c}", lang) for c in ("row", "column", "message")}
            st.dataframe(validate.problems_frame(rows, render).rename(columns=names), hide_index=True,
                         width="stretch", column_config={names["row"]: st.column_config.NumberColumn(width="small"),
                                                         names["column"]: st.column_config.TextColumn(width="small")})
        if res.omitted:
            st.caption(t("admin.omitted", lang, n=res.omitted))
        return
    new = store.merge(tables, res.enterprise, res.fact)
    summary = store.diff(tables, new)
    if not any(d["added"] or d["removed"] or d["changed"] for d in summary.values()):
        st.info(t("admin.no_changes", lang))
        return
    st.success(t("admin.valid", lang, rows=res.rows))
    st.subheader(t("admin.preview_title", lang))
    e, f = summary["enterprise"], summary["fact"]
    st.markdown(t("admin.preview_counts", lang, e_added=len(e["added"]), e_changed=len(e["changed"]),
                  e_removed=len(e["removed"]), f_added=len(f["added"]), f_changed=len(f["changed"]),
                  f_removed=len(f["removed"])))
    st.dataframe(preview(summary), hide_index=True, width="stretch")
    sure = st.checkbox(t("admin.confirm", lang), key=f"confirm_{key}_{last_id}")
    if st.button(t("admin.apply", lang), type="primary", disabled=not sure, key=f"apply_{key}_{last_id}"):
        try:  # against the state this page showed (last_id): a newer one is another admin's
            audit_id = store.apply_register(res.enterprise, res.fact, who=who, file_name=file_name,
                                            sha256=res.sha256, action=action, expected=last_id)
        except store.StoreError as exc:
            save_failed(exc)
            return
        st.session_state[SEEN] = audit_id
        st.session_state["admin_flash"] = t("admin.applied", lang, id=audit_id)
        rebuild()
        st.rerun()


flash = st.session_state.pop("admin_flash", None)
if flash:
    st.success(flash)

tab_upload, tab_edit, tab_log, tab_template, tab_update = st.tabs(
    [t("admin.tab_upload", lang), t("admin.tab_edit", lang), t("admin.tab_log", lang), t("admin.tab_template", lang),
     t("update.tab", lang)])

with tab_update:
    update_panel(lang)

max_mb = f"{validate.MAX_BYTES / 1048576:.0f}"
with tab_upload:
    # The key carries the last audit id so a saved upload clears the widget.
    # max_upload_size: the browser refuses larger files before they are sent (validate checks again).
    up = st.file_uploader(t("admin.upload_label", lang, max_mb=max_mb), type=["csv", "txt", "xlsx"],
                          key=f"upload_{last_id}", max_upload_size=validate.MAX_BYTES // 1048576)
    st.caption(t("admin.upload_help", lang))
    if up is not None:
        data = up.getvalue()
        res = check(data, up.name)
        review(res, file_name=up.name, action="upload", key="upload")

with tab_edit:
    st.caption(t("admin.edit_help", lang))
    current = store.register_frame(tables)
    edited = st.data_editor(current, num_rows="dynamic", hide_index=True, width="stretch",
                            key=f"editor_{last_id}",
                            column_config={c: st.column_config.TextColumn(c) for c in validate.FILE_COLUMNS})
    edited = edited.fillna("").astype(str)
    if not edited.reset_index(drop=True).equals(current.reset_index(drop=True)):
        data = edited.to_csv(index=False).encode("utf-8")
        review(check(data, "edit.csv"), file_name=t("admin.edit_file_name", lang),
               action="edit", key="edit")
    curated = int((~store.managed(tables["fact"])).sum())
    if curated:
        st.caption(t("admin.curated_note", lang, n=curated))

with tab_log:
    shown = log.assign(
        at=log["at"].str.replace("T", " ").str.replace("+00:00", ""),
        action=log["action"].map(lambda a: t(f"admin.action_{a}", lang)),
        file_sha256=log["file_sha256"].str[:12],
        summary=log["summary"].map(lambda s: " · ".join(
            f"{t(f'admin.table_{tb}', lang)} " + t("admin.summary_fmt", lang, added=len(d["added"]),
                                                    changed=len(d["changed"]), removed=len(d["removed"]))
            for tb, d in json.loads(s).items())))
    names = {"id": "col_id", "at": "col_at", "who": "col_who", "action": "col_action", "file_name": "col_file",
             "file_sha256": "col_sha", "summary": "col_summary"}
    st.dataframe(shown.rename(columns={k: t(f"admin.{v}", lang) for k, v in names.items()}),
                 hide_index=True, width="stretch")
    st.download_button(t("admin.log_download", lang), to_csv_bytes(log), file_name="asf_admin_logg.csv",
                       mime="text/csv", key="log_csv")
    labels = {int(r.id): f"#{r.id} · {r.at[:19].replace('T', ' ')} · {t(f'admin.action_{r.action}', lang)} · {r.who}"
              for r in log.itertuples()}
    pick = st.selectbox(t("admin.log_detail", lang), list(labels), format_func=labels.get,
                        key=f"log_pick_{last_id}")
    action = log.loc[log["id"] == pick, "action"].iloc[0] if pick is not None else "seed"
    if pick is not None:
        entry = json.loads(log.loc[log["id"] == pick, "summary"].iloc[0])
        st.dataframe(preview(entry), hide_index=True, width="stretch")
    if action != "seed":  # before the seed there was no register: nothing to restore
        st.subheader(t("admin.restore_title", lang))
        sure = st.checkbox(t("admin.restore_confirm", lang), key=f"restore_ok_{last_id}")
        if st.button(f"{t('admin.restore_pick', lang)} #{pick}",
                     disabled=not sure, key=f"restore_{last_id}"):
            try:
                new_id = store.restore(pick, who=who, expected=last_id)
            except store.StoreError as exc:
                save_failed(exc)
            except KeyError as exc:
                st.error(t("admin.apply_failed", lang, error=str(exc)))
            else:
                st.session_state[SEEN] = new_id
                st.session_state["admin_flash"] = t("admin.restored", lang, id=pick, new=new_id)
                rebuild()
                st.rerun()

with tab_template:
    st.download_button(t("admin.template_download", lang), template.template_xlsx(),
                       file_name="asf_register_mall.xlsx", key="tpl",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    reg = store.register_frame(tables)
    st.download_button(t("admin.current_xlsx", lang), template.register_xlsx(reg), file_name="asf_register.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="cur_xlsx")
    st.download_button(t("admin.current_csv", lang), reg.to_csv(index=False).encode("utf-8-sig"),
                       file_name="asf_register.csv", mime="text/csv", key="cur_csv")
    st.subheader(t("admin.rules_title", lang))
    high = {m: fmt_number(hi, lang) for m, (_, hi) in validate.BOUNDS.items()}
    st.markdown(t("admin.rules", lang, columns=", ".join(f"`{c}`" for c in validate.FILE_COLUMNS),
                  max_mb=max_mb, first=validate.FIRST_YEAR, literal=validate.COMPANY_SOURCE, county=COUNTY,
                  max_rows=fmt_number(validate.MAX_ROWS, lang), max_columns=validate.MAX_COLUMNS,
                  max_unpacked_mb=f"{xlsx.MAX_UNPACKED / 1048576:.0f}", max_text=fmt_number(validate.MAX_TEXT, lang),
                  max_employees=high["anstallda"], max_training=high["arbetstraning"],
                  max_turnover=high["omsattning_tkr"]))
