-- Closing the loop: each symbol's rolling accuracy as a time series, how every recommended trade
-- turned out, the reprediction requests barcast made, and retrain requests with their evidence.

-- Rolling accuracy per symbol and horizon bucket as of each forecast's bar, over the newest
-- validated points of each model step (band.residual-window of them). Errors are in percent of
-- the actual price; skill = 1 - mae / naive mae (above 0 beats "no change").
CREATE TABLE accuracy (
    accuracy_id          uuid             PRIMARY KEY,  -- deterministic: symbol, horizon, as_of
    symbol               text             NOT NULL,
    as_of                timestamptz      NOT NULL,
    horizon              text             NOT NULL CHECK (horizon IN ('1h', '1d', '1w', 'all')),
    model_version        text             NOT NULL,
    points               integer          NOT NULL CHECK (points > 0),
    mae_percent          double precision NOT NULL,
    rmse_percent         double precision NOT NULL,
    naive_mae_percent    double precision NOT NULL,
    naive_rmse_percent   double precision NOT NULL,
    directional_accuracy double precision,             -- null when the price never moved
    band_coverage        double precision NOT NULL,
    skill                double precision,             -- null when the naive error is 0
    written_at           timestamptz      NOT NULL DEFAULT now()
);

CREATE INDEX accuracy_by_symbol ON accuracy (symbol, horizon, as_of DESC);

-- How each recommended trade turned out: entered at the actual close of its entry bar, ended at
-- the target, at the stop (when one bar reaches both, the stop), or at its exit bar's close; or
-- missed, when at its entry bar the price was already at or past its target or stop.
CREATE TABLE trade_outcomes (
    recommendation_id       uuid             PRIMARY KEY,
    prediction_id           uuid             NOT NULL,
    symbol                  text             NOT NULL,
    side                    text             NOT NULL CHECK (side IN ('long', 'short')),
    entry_time              timestamptz      NOT NULL,
    entry_price             double precision NOT NULL,
    target_price            double precision NOT NULL,
    stop_loss               double precision NOT NULL,
    outcome                 text             NOT NULL
                            CHECK (outcome IN ('target_hit', 'stop_hit', 'expired', 'missed')),
    exit_time               timestamptz      NOT NULL,
    exit_price              double precision NOT NULL,
    realized_return_percent double precision NOT NULL,  -- signed for the side
    bars_held               integer          NOT NULL,
    written_at              timestamptz      NOT NULL DEFAULT now()
);

CREATE INDEX trade_outcomes_by_symbol ON trade_outcomes (symbol, exit_time DESC);

-- Success rate per symbol: of the finished trades that were entered, the share that made money.
CREATE VIEW trade_success AS
SELECT symbol,
       count(*) AS trades,
       count(*) FILTER (WHERE outcome = 'target_hit') AS target_hit,
       count(*) FILTER (WHERE outcome = 'stop_hit') AS stop_hit,
       count(*) FILTER (WHERE outcome = 'expired') AS expired,
       count(*) FILTER (WHERE outcome = 'missed') AS missed,
       avg((realized_return_percent > 0)::int) FILTER (WHERE outcome <> 'missed') AS success_rate,
       avg(realized_return_percent) FILTER (WHERE outcome <> 'missed') AS mean_return_percent
FROM trade_outcomes
GROUP BY symbol;

-- barcast's own reprediction requests. People's are the messages they wrote to the topic; the
-- answers to both are forecasts whose reason is the cause (predictions.reason).
CREATE TABLE reprediction_requests (
    request_id   uuid        PRIMARY KEY,
    symbol       text        NOT NULL,
    cause        text        NOT NULL CHECK (cause IN ('validation_drift', 'accuracy_drop')),
    detail       text        NOT NULL,
    bar_time     timestamptz,                         -- the bar that showed the drift
    requested_at timestamptz NOT NULL,
    written_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX reprediction_requests_by_symbol ON reprediction_requests (symbol, requested_at DESC);

-- A model that lost its skill on a symbol, with the evidence; models/training/README.md says how
-- to turn one into a new model version.
CREATE TABLE retrain_requests (
    request_id        uuid             PRIMARY KEY,  -- deterministic: symbol, version, below_since
    symbol            text             NOT NULL,
    model_folder      text             NOT NULL,
    model_version     text             NOT NULL,
    below_since       timestamptz      NOT NULL,
    as_of             timestamptz      NOT NULL,
    skill             double precision NOT NULL,
    threshold         double precision NOT NULL,
    mae_percent       double precision NOT NULL,
    naive_mae_percent double precision NOT NULL,
    points            integer          NOT NULL,
    message           text             NOT NULL,
    written_at        timestamptz      NOT NULL DEFAULT now()
);
