-- Which model folder and version served each symbol, when each took over, and what was refused.
SELECT symbol, model_folder, model_version, min(as_of) AS first_forecast, max(as_of) AS last_forecast,
       count(*) FILTER (WHERE reason = 'model_update') AS fresh_forecasts_on_switch
FROM predictions
GROUP BY symbol, model_folder, model_version
ORDER BY symbol, first_forecast;
