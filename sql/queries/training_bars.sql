-- A symbol's bars as CSV in the form models/training/train.py reads (symbol,t,o,h,l,c,v; t in
-- epoch ms), to train a new model version after a retrain request:
--   psql "$BARCAST_DB" -v symbol="'X:BTCUSD'" -f sql/queries/training_bars.sql > bars.csv
COPY (
    SELECT symbol, (extract(epoch FROM bar_time) * 1000)::bigint AS t,
           open AS o, high AS h, low AS l, close AS c, volume AS v
    FROM bars
    WHERE symbol = :symbol
    ORDER BY bar_time
) TO STDOUT WITH (FORMAT csv, HEADER);
