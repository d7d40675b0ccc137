-- Every forecast point (at the model's horizon steps) checked against the actual bar at its time,
-- with the naive "no change" forecast's error beside it, so skill is explicit.

CREATE TABLE validations (
    validation_id        uuid             PRIMARY KEY,  -- deterministic: prediction and step
    prediction_id        uuid             NOT NULL,
    symbol               text             NOT NULL,
    as_of                timestamptz      NOT NULL,     -- the forecast's as-of bar
    target_time          timestamptz      NOT NULL,     -- the bar whose close was predicted
    horizon_bars         integer          NOT NULL,     -- bars ahead on the symbol's calendar
    last_close           double precision NOT NULL,     -- the naive forecast
    predicted            double precision NOT NULL,
    actual               double precision NOT NULL,
    error_percent        double precision NOT NULL,     -- 100 (predicted - actual) / actual
    naive_error_percent  double precision NOT NULL,     -- 100 (last_close - actual) / actual
    direction_right      boolean,                       -- null when the price did not move
    inside_band          boolean          NOT NULL,
    band_lower           double precision NOT NULL,
    band_upper           double precision NOT NULL,
    written_at           timestamptz      NOT NULL DEFAULT now()
);

CREATE INDEX validations_by_symbol ON validations (symbol, target_time);
CREATE INDEX validations_by_prediction ON validations (prediction_id);
