"""Pure scikit-learn models (forecasts, heat response, climate trend) and their metrics.

Empty until the footfall and heat issues land; kept so the layout and the architecture
test (no Dash in ``layers``/``models``/``data``) hold from the start.
"""
