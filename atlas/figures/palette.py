"""Colours close to Region Dalarna's report palette, chosen to stay apart for colour-vision deficiency.

The series colours alternate dark/light and green/blue so that neighbours differ in lightness, not
only in hue (checked with protanopia/deuteranopia/tritanopia simulation in tests/figures/test_palette.py). Meaning is never
carried by red versus green alone.
"""

# Region Dalarna's dark green, blue and sand, plus purple, light mint and brown: every pair stays
# at least ΔE*ab 22 apart with normal vision and simulated protanopia, deuteranopia and tritanopia
# (atlas/figures/cvd.py; tests/figures/test_palette.py). Their blue #00577b was dropped: it merges
# with the dark green for tritanopes (ΔE 6).
SERIES = ["#0e5a4c", "#158daf", "#e2a855", "#5b3a6e", "#93cec1", "#b0662a"]
REGION_ROLE = {"kommun": "#0e5a4c", "lan": "#158daf", "riket": "#7a7a7a"}
MISSING = "#d9d9d9"
FONT = "Source Sans Pro, Arial, sans-serif"
