-- The last resort of the sinks: a row PostgreSQL refused that could not be kept as a dead letter
-- either, because it is a dead letter itself or because dead_letters refused its dead letter too.
-- A row a sink table refuses normally lands in dead_letters (stage 'sink'); this table holds what
-- that could not, so nothing is dropped without a row that says why. Text is cleaned of NULs and
-- capped (error 2,000 and payload 32,768 characters) before it is written.

CREATE TABLE sink_failures (
    failure_id  uuid        PRIMARY KEY,  -- deterministic: the same refusal, the same id
    table_name  text        NOT NULL,     -- the table that refused the row, e.g. dead_letters
    sql_state   text,                     -- PostgreSQL's SQLSTATE; null when barcast could not
                                          -- even bind the row
    error       text        NOT NULL,     -- the server's message
    payload     text        NOT NULL,     -- the refused row as JSON (a dead letter holds the
                                          -- original row and the reason it was refused)
    failed_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX sink_failures_by_time ON sink_failures (failed_at DESC);
