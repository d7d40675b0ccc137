-- barcast's sink tables: the bars forecasts were made from, the forecasts, and the input or work
-- barcast could not use. Every table has a symbol column; every write is an idempotent upsert,
-- so replaying the same input leaves the same rows.

CREATE TABLE bars (
    symbol      text             NOT NULL,
    bar_time    timestamptz      NOT NULL,  -- window start of the 15-minute bar
    open        double precision NOT NULL,
    high        double precision NOT NULL,
    low         double precision NOT NULL,
    close       double precision NOT NULL,
    volume      double precision NOT NULL,
    vwap        double precision,
    trades      bigint,
    updated_at  timestamptz      NOT NULL DEFAULT now(),  -- when the latest revision was written
    PRIMARY KEY (symbol, bar_time)
);

CREATE TABLE predictions (
    prediction_id    uuid               PRIMARY KEY,  -- deterministic: symbol, as_of, model, trigger
    symbol           text               NOT NULL,
    as_of            timestamptz        NOT NULL,     -- start of the newest bar the model saw
    reason           text               NOT NULL,     -- new_bar, revision
    model_name       text               NOT NULL,
    model_version    text               NOT NULL,
    last_close       double precision   NOT NULL,
    path_times       timestamptz[]      NOT NULL,     -- every bar start of the next 7 days
    path_prices      double precision[] NOT NULL,     -- predicted close at each of path_times
    horizon_end      timestamptz        NOT NULL,     -- the last of path_times
    batch_size       integer            NOT NULL,     -- requests sharing the inference call
    inference_micros bigint             NOT NULL,     -- duration of that call
    received_at      timestamptz        NOT NULL,     -- wall clock: bar reached its symbol window
    predicted_at     timestamptz        NOT NULL,     -- wall clock: forecast made
    written_at       timestamptz        NOT NULL DEFAULT now(),
    CHECK (cardinality(path_times) = cardinality(path_prices))
);

CREATE INDEX predictions_by_symbol ON predictions (symbol, as_of DESC);

CREATE TABLE dead_letters (
    dead_letter_id  uuid        PRIMARY KEY,  -- deterministic: the same rejected input, the same id
    symbol          text        NOT NULL,     -- empty when the input was not even parsable
    stage           text        NOT NULL,     -- parse, sanitize, window, inference
    reason          text        NOT NULL,
    event_time      timestamptz,              -- the bar time it concerns, when known
    payload         text        NOT NULL,     -- the rejected input
    first_seen_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX dead_letters_by_symbol ON dead_letters (symbol, event_time);

-- One row per predicted bar, for plain SQL over the paths.
CREATE VIEW prediction_points AS
SELECT p.prediction_id, p.symbol, p.as_of, p.model_version, point.step, point.bar_time,
       point.price
FROM predictions p,
     unnest(p.path_times, p.path_prices) WITH ORDINALITY AS point(bar_time, price, step);
