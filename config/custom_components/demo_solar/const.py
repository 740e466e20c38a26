"""Constants of the demo solar forecast."""

DOMAIN = "demo_solar"
TITLE = "Demo solar forecast"
# The demo roof: 6 kWp, of which 80 % reaches the house with the sun straight above.
PEAK_KW = 6.0
PERFORMANCE = 0.8
