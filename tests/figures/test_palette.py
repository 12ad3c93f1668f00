"""Colour-vision-deficiency check of the series palette and the contrast of the theme's text."""

from atlas.figures.cvd import delta_e, min_difference
from atlas.figures.palette import SERIES

MIN_DELTA_E = 20  # clearly distinguishable side by side (ΔE*ab; ~2.3 is a just-noticeable difference)


def test_series_colours_stay_apart_for_colour_blind_readers():
    for vision, (d, a, b) in min_difference(SERIES).items():
        assert d >= MIN_DELTA_E, f"{vision}: {a} and {b} only ΔE {d:.1f} apart"


def test_simulation_flags_a_known_bad_pair():
    # red and green that normal vision tells apart easily merge for deuteranopes
    assert delta_e("#d62728", "#2ca02c") > 60
    assert delta_e("#d62728", "#2ca02c", "deuteranopia") < delta_e("#d62728", "#2ca02c") / 2


def _luminance(hex_colour: str) -> float:
    c = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_theme_text_contrast_meets_wcag_aa():
    import tomllib

    from atlas import ROOT

    theme = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["theme"]
    assert _contrast(theme["textColor"], theme["backgroundColor"]) >= 4.5
    assert _contrast(theme["textColor"], theme["secondaryBackgroundColor"]) >= 4.5
    assert _contrast(theme["linkColor"], theme["backgroundColor"]) >= 4.5
    from atlas.ui.style import CAPTION_COLOUR, CSS, QUOTE_COLOUR

    for colour in (CAPTION_COLOUR, QUOTE_COLOUR):  # what the CSS sets, not a copy of it
        assert f"color: {colour} !important" in CSS
        assert _contrast(colour, theme["backgroundColor"]) >= 4.5
        assert _contrast(colour, theme["secondaryBackgroundColor"]) >= 4.5
