-- How the recommended trades turned out per symbol and side: target hit, stop hit, expired or
-- missed (the price was past the target or stop at entry), and of the trades entered the share
-- that made money and the mean realised return.
SELECT symbol, side,
       count(*) AS trades,
       count(*) FILTER (WHERE outcome = 'target_hit') AS target_hit,
       count(*) FILTER (WHERE outcome = 'stop_hit') AS stop_hit,
       count(*) FILTER (WHERE outcome = 'expired') AS expired,
       count(*) FILTER (WHERE outcome = 'missed') AS missed,
       round(avg((realized_return_percent > 0)::int) FILTER (WHERE outcome <> 'missed'), 3)
           AS success_rate,
       round(avg(realized_return_percent) FILTER (WHERE outcome <> 'missed')::numeric, 3)
           AS mean_return_percent
FROM trade_outcomes
GROUP BY symbol, side
ORDER BY symbol, side;
