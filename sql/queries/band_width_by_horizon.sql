-- How wide the uncertainty band is, in percent of the predicted price, a bar, a day and a week
-- ahead, per symbol and band method over the last day of forecasts.
SELECT symbol, band_method,
       round(avg(100 * (path_upper[1] - path_lower[1]) / path_prices[1])::numeric, 3) AS next_bar,
       round(avg(100 * (path_upper[26] - path_lower[26]) / path_prices[26])::numeric, 3) AS bar_26,
       round(avg(100 * (path_upper[cardinality(path_prices)] - path_lower[cardinality(path_prices)])
                 / path_prices[cardinality(path_prices)])::numeric, 3) AS week_end,
       count(*) AS forecasts
FROM predictions
WHERE path_lower IS NOT NULL AND as_of >= (SELECT max(as_of) FROM predictions) - interval '1 day'
GROUP BY symbol, band_method
ORDER BY symbol, band_method;
