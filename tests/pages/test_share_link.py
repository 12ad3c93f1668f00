"""The 'copy link' box always holds the current view's filters (not the previous run's)."""

from streamlit.testing.v1 import AppTest

from atlas import ROOT


def test_share_link_follows_the_latest_choice(built_db):
    at = AppTest.from_file(str(ROOT / "pages" / "data.py"), default_timeout=90)
    at.query_params["ind"] = "arbetsloshet"
    at.run()
    assert "ind=arbetsloshet&" in at.code[0].value or at.code[0].value.endswith("ind=arbetsloshet")
    at.multiselect(key="dl_ind").set_value(["arbetsloshet", "varsel"]).run()
    links = [c.value for c in at.code]
    assert len(links) == 1, links  # redrawn in place, not added
    assert "ind=arbetsloshet%2Cvarsel" in links[0]
