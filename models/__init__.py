"""Pure scikit-learn models (forecasts, heat response, climate trend) and their metrics.

* :mod:`models.features` — calendar/holiday/lag/profile features of hourly footfall;
* :mod:`models.footfall_model` — the per-site quantile model (P10/P50/P90), fitted at an
  origin; what both the forecasts and the backtest are built from;
* :mod:`models.backtest` — rolling-origin backtest against seasonal naive baselines;
* :mod:`models.footfall` — footfall forecasts 1–14 days ahead, the
  :class:`~models.footfall.ForecastCache` and :func:`~models.footfall.model_card`.

scikit-learn is imported inside functions only, so importing ``models`` stays cheap; no Dash
here (the architecture test checks).
"""
