-- How good the forecasts were, per symbol and horizon (1 hour, 1 day, 1 week of bars), over the
-- validated points of the last 7 days: MAE and RMSE in price, MAPE in percent of the actual price,
-- directional accuracy, band coverage, and skill against the naive "no change" forecast
-- (1 - model MAE / naive MAE: above 0 the model beats no change).
SELECT symbol,
       CASE WHEN horizon_bars <= 4 THEN '1 hour' WHEN horizon_bars <= 96 THEN '1 day'
            ELSE '1 week' END AS horizon,
       count(*) AS points,
       round(avg(abs(predicted - actual))::numeric, 6) AS mae,
       round(sqrt(avg((predicted - actual) ^ 2))::numeric, 6) AS rmse,
       round(avg(abs(error_percent))::numeric, 4) AS mape_percent,
       round(avg(direction_right::int)::numeric, 3) AS directional_accuracy,
       round(avg(inside_band::int)::numeric, 3) AS band_coverage,
       round((1 - avg(abs(predicted - actual)) / nullif(avg(abs(last_close - actual)), 0))::numeric, 4)
           AS skill_vs_naive
FROM validations
WHERE target_time >= (SELECT max(target_time) FROM validations) - interval '7 days'
GROUP BY 1, 2
ORDER BY 1, min(horizon_bars);
