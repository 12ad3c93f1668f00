"""UrlState (atlas/ui/state.py) on a tiny page: where each value comes from (a link, the user's own
choice, a change the user made elsewhere), the bad-link notice, sections, and what the URL keeps."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.helpers import named_in_notice, qp, url_notice

# Two sections; in "one" the child's options depend on the parent, and the parent's options on
# the county (as the county picker in the sidebar sets it).
SCRIPT = '''
import streamlit as st
from atlas.ui.state import UrlState

PARENTS = {"20": ["a", "b"], "03": ["b", "c"]}[st.session_state.get("county", "20")]
CHILDREN = {"a": ["a1", "a2"], "b": ["b1"], "c": ["c1", "c2"]}
SECTIONS = {"one": ("p", "c", "many", "flag", "only"), "two": ("fran", "till")}
YEARS = [2001, 2002, 2003, 2004]

url = UrlState("demo", "sv")
st.title("Demo")
url.slots()
view = url.section("vy_key", "vy", SECTIONS)
st.segmented_control("Section", list(SECTIONS), key="vy_key")
if view == "one":
    p = url.one("p_key", "p", PARENTS, PARENTS[0])
    st.selectbox("Parent", PARENTS, key="p_key")
    c = url.one("c_key", "c", CHILDREN[p], CHILDREN[p][0])
    st.selectbox("Child", CHILDREN[p], key="c_key")
    url.many("m_key", "many", ["x", "y", "z"], ["x"], max_items=2)
    st.multiselect("Many", ["x", "y", "z"], key="m_key")
    url.flag("f_key", "flag", True)
    st.toggle("Flag", key="f_key")
    url.fixed("only", "T")
else:
    url.span("s_key", ("fran", "till"), YEARS)
    st.select_slider("Years", YEARS, value=(YEARS[0], YEARS[-1]), key="s_key")
url.finish()
'''


def _run(params: dict | None = None, **state) -> AppTest:
    at = AppTest.from_string(SCRIPT, default_timeout=30)
    for k, v in state.items():
        at.session_state[k] = v
    for k, v in (params or {}).items():
        at.query_params[k] = v
    return _ok(at.run())


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def _url(at: AppTest) -> dict[str, str]:
    return {k: qp(at, k) for k in at.query_params}


# --- values from a link ---------------------------------------------------------------------------

def test_without_a_link_the_defaults_are_written_and_no_notice():
    at = _run()
    assert _url(at) == {"vy": "one", "p": "a", "c": "a1", "many": "x", "flag": "1"}
    assert url_notice(at) is None


def test_a_links_values_are_shown():
    at = _run({"p": "b", "c": "b1", "many": "z,y", "flag": "0"})
    assert at.selectbox(key="p_key").value == "b" and at.selectbox(key="c_key").value == "b1"
    assert at.multiselect(key="m_key").value == ["z", "y"] and at.toggle(key="f_key").value is False
    assert url_notice(at) is None and _url(at)["many"] == "z,y"


@pytest.mark.parametrize("params, named, url", [
    ({"p": "nope"}, {"p"}, {"p": "a", "c": "a1"}),
    ({"p": "b", "c": "a2"}, {"c"}, {"p": "b", "c": "b1"}),  # a child the link's own parent does not have
    ({"many": "x,q"}, {"many"}, {"many": "x"}),  # the valid part is kept
    ({"many": "x,y,z"}, {"many"}, {"many": "x,y"}),  # more than max_items
    ({"flag": "maybe"}, {"flag"}, {"flag": "1"}),
    ({"only": "K"}, {"only"}, {}),  # a value the page cannot show: named, and the parameter dropped
    ({"vy": "three", "fran": "2002"}, {"vy"}, {"vy": "two", "fran": "2002", "till": "2004"}),
    ({"fran": "1999", "till": "2003"}, {"fran"}, {"vy": "two", "fran": "2001", "till": "2003"}),
])
def test_a_bad_link_value_is_replaced_and_named_in_the_notice(params, named, url):
    at = _run(params)
    assert named_in_notice(at, params) == named, url_notice(at)
    assert _url(at).items() >= url.items()
    assert "only" not in _url(at)


@pytest.mark.parametrize("params, url", [
    ({"p": "", "many": "", "flag": ""}, {"p": "a", "many": "x", "flag": "1"}),  # empty = not given
    ({"many": "y,y,z"}, {"many": "y,z"}),  # repeated items
    ({"only": "T"}, {}),  # the only choice: nothing to say, nothing to keep in the URL
    ({"fran": "2004", "till": "2002"}, {"vy": "two", "fran": "2002", "till": "2004"}),  # turned round
])
def test_odd_but_meaningful_links_need_no_notice(params, url):
    at = _run(params)
    assert url_notice(at) is None
    assert _url(at).items() >= url.items() and "only" not in _url(at)


# --- the user's own choices -----------------------------------------------------------------------

def test_the_users_change_wins_and_a_child_that_no_longer_fits_is_replaced_silently():
    at = _run({"p": "a", "c": "a2"})
    at.selectbox(key="p_key").select("b").run()
    assert url_notice(_ok(at)) is None
    assert at.selectbox(key="c_key").value == "b1" and _url(at)["p"] == "b" and _url(at)["c"] == "b1"
    at.run()  # a rerun that changes nothing keeps it all
    assert at.selectbox(key="c_key").value == "b1" and _url(at)["c"] == "b1"


def test_a_list_the_user_emptied_stays_empty_and_leaves_the_url():
    at = _run({"many": "y"})
    at.multiselect(key="m_key").set_value([]).run()
    assert _ok(at).multiselect(key="m_key").value == [] and "many" not in _url(at)
    at.run()
    assert at.multiselect(key="m_key").value == [] and url_notice(at) is None


def test_a_url_changed_from_outside_wins_over_the_widgets_state():
    at = _run({"p": "a", "c": "a2"})
    at.selectbox(key="c_key").select("a1").run()
    at.query_params["c"] = "a2"  # a new link in the same session (what Karta's switch to a profile does)
    at.run()
    assert _ok(at).selectbox(key="c_key").value == "a2" and _url(at)["c"] == "a2"


def test_changing_the_county_is_no_bad_link():
    """The sidebar's county picker writes ?lan= and the session's county; a choice that the new
    county's options do not hold is the user's own doing, not a bad link."""
    at = _run({"p": "a", "c": "a2", "lan": "20"}, county="20")
    at.session_state["county"] = "03"
    at.query_params["lan"] = "03"
    at.run()
    assert url_notice(_ok(at)) is None
    assert at.selectbox(key="p_key").value == "b" and _url(at)["p"] == "b" and _url(at)["c"] == "b1"


def test_changing_the_language_keeps_every_choice():
    at = _run({"p": "b", "many": "y,z", "lang": "sv"})
    at.query_params["lang"] = "en"
    at.run()
    assert _ok(at).multiselect(key="m_key").value == ["y", "z"] and at.selectbox(key="p_key").value == "b"


# --- sections -------------------------------------------------------------------------------------

def test_a_link_without_vy_opens_the_section_its_parameters_belong_to():
    assert qp(_run({"fran": "2002"}), "vy") == "two"
    assert qp(_run({"p": "b", "fran": "2002"}), "vy") == "one"  # the first in page order
    assert qp(_run({"vy": "one", "fran": "2002"}), "vy") == "one"


def test_switching_sections_keeps_the_other_sections_parameters():
    at = _run({"p": "b", "many": "z"})
    at.button_group(key="vy_key").set_value("two").run()
    at.select_slider(key="s_key").set_range(2002, 2003).run()
    assert _url(_ok(at)) == {"vy": "two", "p": "b", "c": "b1", "many": "z", "flag": "1", "fran": "2002",
                             "till": "2003"}
    at.button_group(key="vy_key").set_value("one").run()  # back: section one's widgets come from the URL
    assert _ok(at).selectbox(key="p_key").value == "b" and at.multiselect(key="m_key").value == ["z"]
    at.button_group(key="vy_key").set_value("two").run()
    assert at.select_slider(key="s_key").value == (2002, 2003)
    at.button_group(key="vy_key").set_value(None).run()  # clicking the chosen section again
    assert at.button_group(key="vy_key").value == "two" and qp(at, "vy") == "two"
    assert url_notice(at) is None


def test_the_share_link_holds_the_final_url():
    at = _run({"p": "nope"})
    (link,) = [c.value for c in at.code]
    assert "p=a" in link and "nope" not in link


# --- why Streamlit's own binding is not used (atlas/ui/state.py docstring) -------------------------

def test_streamlit_binding_matches_labels_not_codes():
    """If this fails, Streamlit's bind="query-params" may now suit ?lang= and ?lan=: look again."""
    script = '''
import streamlit as st
names = {"20": "Dalarnas län", "03": "Uppsala län"}
st.selectbox("Län", list(names), key="lan", bind="query-params", format_func=names.get)
'''
    by_code = AppTest.from_string(script)
    by_code.query_params["lan"] = "03"
    assert by_code.run().selectbox(key="lan").value == "20" and "lan" not in by_code.query_params
    by_label = AppTest.from_string(script)
    by_label.query_params["lan"] = "Uppsala län"
    assert by_label.run().selectbox(key="lan").value == "03"


NUMBER_SCRIPT = '''
import streamlit as st
from atlas.ui.state import UrlState

url = UrlState("nums", "sv")
n = url.number("n_key", "n", 0, 100, 25)
st.number_input("N", min_value=0, max_value=100, step=1, key="n_key")
r = url.number("r_key", "r", 0.0, 15.0, 3.5, decimals=1)
st.number_input("R", min_value=0.0, max_value=15.0, step=0.1, format="%.1f", key="r_key")
o = url.number("o_key", "o", 0, 1000, 41, optional=True)
st.number_input("O", min_value=0, max_value=1000, step=1, key="o_key")
st.write(f"values={n!r}|{r!r}|{o!r}|{sorted(url.problems.items())!r}")
url.finish()
'''


def _numbers(params: dict | None = None) -> tuple[AppTest, str]:
    at = AppTest.from_string(NUMBER_SCRIPT, default_timeout=30)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at = _ok(at.run())
    return at, next(m.value for m in at.markdown if m.value.startswith("values="))


def test_number_defaults_and_url_text():
    at, shown = _numbers()
    assert shown == "values=25|3.5|41|[]"
    assert _url(at) == {"n": "25", "r": "3.5", "o": "41"}


@pytest.mark.parametrize("params, values, problems", [
    ({"n": "40", "r": "5,1", "o": "7"}, "40|5.1|7", []),
    ({"n": "1 000"}, "100|3.5|41", [("n", ("1 000", 100, "clamped"))]),
    ({"n": "12.6"}, "13|3.5|41", [("n", ("12.6", 13, "rounded"))]),
    ({"n": "x' OR 1=1", "r": "nan"}, "25|3.5|41", [("n", ("x' OR 1=1", 25, "invalid")), ("r", ("nan", 3.5, "invalid"))]),
    ({"r": "3.25"}, "25|3.2|41", [("r", ("3.25", 3.2, "rounded"))]),
    ({"o": ".."}, "25|3.5|None", []),       # an optional number without a value
    ({"n": ".."}, "25|3.5|41", [("n", ("..", 25, "invalid"))]),  # not optional: the default
])
def test_number_from_a_link(params, values, problems):
    at, shown = _numbers(params)
    assert shown == f"values={values}|{problems!r}"


def test_an_optional_number_without_a_value_survives_the_round_trip():
    at, _ = _numbers({"o": ".."})
    assert _url(at)["o"] == ".."
    at.run()
    assert next(m.value for m in at.markdown if m.value.startswith("values=")).startswith("values=25|3.5|None")
