-- Exports of the sink tables to files (CSV, JSON lines, Parquet), asked for through the API and
-- written by whichever API instance claims them first (FOR UPDATE SKIP LOCKED). A running export
-- holds a lease its instance renews while it writes; one whose lease ran out (its instance died)
-- is queued again. Finished files are deleted at expires_at (state expired); the rows of expired
-- and failed exports are deleted a while later, so the table stays bounded.
CREATE TABLE exports (
    export_id     uuid        PRIMARY KEY,
    key_id        text        NOT NULL,             -- the API key that asked (api_keys.key_id)
    kind          text        NOT NULL CHECK (kind IN ('predictions', 'recommendations',
                                  'validations', 'performance', 'alerts', 'bars', 'all')),
    format        text        NOT NULL CHECK (format IN ('csv', 'jsonl', 'parquet')),
    compression   text        NOT NULL CHECK (compression IN ('none', 'gzip', 'zip')),
    symbols       text[]      NOT NULL,             -- empty: every symbol
    from_time     timestamptz,                      -- inclusive, on the kind's time column
    to_time       timestamptz,                      -- exclusive
    max_rows      bigint      NOT NULL CHECK (max_rows > 0),  -- the tier's cap when asked
    state         text        NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed',
                                  'expired')),
    rows_written  bigint      NOT NULL DEFAULT 0,
    bytes         bigint,                           -- the file's size, once done
    file_name     text,                             -- the download's name, once done
    error         text,                             -- why it failed
    owner         text,                             -- the instance writing it
    lease_until   timestamptz,                      -- while running: renewed as rows are written
    attempts      integer     NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now(),
    started_at    timestamptz,
    finished_at   timestamptz,
    expires_at    timestamptz                       -- done or failed: when it goes
);

-- a key's exports newest first (listing, and counting its active ones)
CREATE INDEX exports_by_key ON exports (key_id, created_at DESC, export_id DESC);
-- the queue, oldest first
CREATE INDEX exports_queued ON exports (created_at) WHERE state = 'queued';
-- leases to check, files to expire, rows to delete
CREATE INDEX exports_running ON exports (lease_until) WHERE state = 'running';
CREATE INDEX exports_by_expiry ON exports (expires_at) WHERE expires_at IS NOT NULL;
