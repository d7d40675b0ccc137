-- Forecasts people can act on: each forecast's uncertainty band and confidence (with its ten
-- factors), the trades suggested from it, and alerts for the people running barcast. Columns added
-- to predictions are nullable: rows written before this migration have no band or confidence.

ALTER TABLE predictions
    ADD COLUMN model_folder       text,               -- default, or the symbol's own folder
    ADD COLUMN path_lower         double precision[], -- band: lower price at each of path_times
    ADD COLUMN path_upper         double precision[], -- band: upper price at each of path_times
    ADD COLUMN band_method        text,               -- model_quantiles, conformal, conformal_partial, volatility
    ADD COLUMN band_coverage      double precision,   -- nominal coverage of the band, e.g. 0.8
    ADD COLUMN confidence         double precision,   -- in [0, 1], decay included
    ADD COLUMN confidence_level   text,               -- very_high, high, medium, low, very_low
    ADD COLUMN confidence_factors jsonb,              -- the ten factors by name, each in [0, 1]
    ADD COLUMN confidence_decay   double precision,   -- multiplier from model age and feed delay
    ADD CONSTRAINT predictions_band_length CHECK (
        path_lower IS NULL
        OR (cardinality(path_lower) = cardinality(path_prices)
            AND cardinality(path_upper) = cardinality(path_prices))),
    ADD CONSTRAINT predictions_confidence_range CHECK (confidence IS NULL
        OR confidence BETWEEN 0 AND 1);

-- One row per predicted bar, now with the band.
CREATE OR REPLACE VIEW prediction_points AS
SELECT p.prediction_id, p.symbol, p.as_of, p.model_version, point.step, point.bar_time,
       point.price, point.lower, point.upper
FROM predictions p,
     unnest(p.path_times, p.path_prices, p.path_lower, p.path_upper)
         WITH ORDINALITY AS point(bar_time, price, lower, upper, step);

CREATE TABLE recommendations (
    recommendation_id       uuid             PRIMARY KEY,  -- deterministic: prediction and side
    prediction_id           uuid             NOT NULL,
    symbol                  text             NOT NULL,
    as_of                   timestamptz      NOT NULL,     -- the forecast's as-of bar
    side                    text             NOT NULL CHECK (side IN ('long', 'short')),
    entry_time              timestamptz      NOT NULL,     -- enter at the close of this bar
    entry_price             double precision NOT NULL,
    exit_time               timestamptz      NOT NULL,     -- exit at the close of this bar
    target_price            double precision NOT NULL,
    stop_loss               double precision NOT NULL,
    expected_return_percent double precision NOT NULL,
    risk_reward             double precision NOT NULL,
    confidence              double precision NOT NULL,
    model_version           text             NOT NULL,
    status                  text             NOT NULL
                            CHECK (status IN ('active', 'superseded', 'expired')),
    superseded_by           uuid,                          -- the forecast that superseded it
    created_at              timestamptz      NOT NULL,     -- wall clock: the forecast was made
    updated_at              timestamptz      NOT NULL DEFAULT now()
);

CREATE INDEX recommendations_by_symbol ON recommendations (symbol, as_of DESC);
CREATE INDEX recommendations_active ON recommendations (symbol) WHERE status = 'active';

CREATE TABLE alerts (
    alert_id    uuid        PRIMARY KEY,  -- deterministic: the same problem is stored once
    severity    text        NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    category    text        NOT NULL,     -- e.g. model
    symbol      text        NOT NULL,     -- symbol or model folder, or empty
    message     text        NOT NULL,
    raised_at   timestamptz NOT NULL,
    written_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX alerts_by_time ON alerts (raised_at DESC);
