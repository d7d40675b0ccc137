-- Each symbol's latest rolling accuracy per horizon bucket, as the job computed it with its newest
-- forecast: errors in percent of the actual price, the naive "no change" forecast's beside them,
-- and skill (1 - mae / naive mae: above 0 the model beats no change).
SELECT DISTINCT ON (symbol, horizon)
       symbol, horizon, as_of, model_version, points,
       round(mae_percent::numeric, 4) AS mae_percent,
       round(rmse_percent::numeric, 4) AS rmse_percent,
       round(naive_mae_percent::numeric, 4) AS naive_mae_percent,
       round(directional_accuracy::numeric, 3) AS directional_accuracy,
       round(band_coverage::numeric, 3) AS band_coverage,
       round(skill::numeric, 4) AS skill
FROM accuracy
ORDER BY symbol, horizon, as_of DESC;
