-- Why a symbol's latest forecasts are as confident as they are: the confidence, its level and
-- decay, and each of the ten factors (definitions in docs/confidence.md), for the last hour of
-- forecasts of one symbol:
--   psql "$BARCAST_DB" -v symbol="'X:C01USD'" -f sql/queries/confidence_factors.sql
SELECT p.symbol, p.as_of, round(p.confidence::numeric, 3) AS confidence, p.confidence_level,
       round(p.confidence_decay::numeric, 3) AS decay, f.key AS factor,
       round(f.value::numeric, 3) AS value
FROM predictions p, jsonb_each_text(p.confidence_factors) AS f(key, value)
WHERE p.symbol = :symbol
  AND p.as_of >= (SELECT max(as_of) FROM predictions WHERE symbol = :symbol) - interval '1 hour'
ORDER BY p.as_of DESC, f.key;
