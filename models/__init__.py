"""Pure scikit-learn models (forecasts, heat response, climate trend) and their metrics.

* :mod:`models.features` — calendar/holiday/lag/profile features of hourly footfall;
* :mod:`models.footfall` — P10/P50/P90 footfall forecasts 1–14 days ahead, the
  :class:`~models.footfall.ForecastCache` and :func:`~models.footfall.model_card`;
* :mod:`models.backtest` — rolling-origin backtest against seasonal naive baselines.

scikit-learn is imported inside functions only, so importing ``models`` stays cheap; no Dash
here (the architecture test checks).
"""
