"""Colours close to Region Dalarna's report palette, chosen to stay apart for colour-vision deficiency.

The series colours alternate dark/light and green/blue so that neighbours differ in lightness, not
only in hue (checked with deuteranopia/protanopia simulation in tests/figures). Meaning is never
carried by red versus green alone.
"""

SERIES = ["#0e5a4c", "#158daf", "#e2a855", "#00577b", "#93cec1", "#459079"]
REGION_ROLE = {"kommun": "#0e5a4c", "lan": "#158daf", "riket": "#7a7a7a"}
MISSING = "#d9d9d9"
FONT = "Source Sans Pro, Arial, sans-serif"
