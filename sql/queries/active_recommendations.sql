-- The trades barcast recommends now: the active ones of each symbol's newest forecast, best
-- expected return first.
SELECT symbol, side, entry_time, entry_price, exit_time, target_price, stop_loss,
       round(expected_return_percent::numeric, 2) AS expected_return_percent,
       round(risk_reward::numeric, 2) AS risk_reward, round(confidence::numeric, 3) AS confidence,
       model_version, as_of
FROM recommendations
WHERE status = 'active'
ORDER BY expected_return_percent DESC;
