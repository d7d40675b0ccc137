-- Webhooks: endpoints that API keys register, and every delivery of an event to one of them
-- (api/.../webhook). The dispatcher inserts a delivery per (webhook, event) with a deterministic id,
-- so reading a record again after a crash adds nothing; senders on every API instance claim due
-- deliveries with SELECT ... FOR UPDATE SKIP LOCKED and a lease.
CREATE TABLE webhooks (
    webhook_id      uuid        PRIMARY KEY,
    -- the key that made it owns it; a deleted key takes its webhooks (and their deliveries) along
    key_id          text        NOT NULL REFERENCES api_keys (key_id) ON DELETE CASCADE,
    url             text        NOT NULL,
    -- whsec_<base64 of 32 random bytes>: kept to sign, shown once, never read back by the API
    secret          text        NOT NULL,
    event_types     text[]      NOT NULL,
    symbols         text[]      NOT NULL DEFAULT '{}',   -- empty: every symbol
    min_confidence  double precision CHECK (min_confidence BETWEEN 0 AND 1),
    min_severity    text        CHECK (min_severity IN ('info', 'warning', 'critical')),
    description     text        NOT NULL DEFAULT '',
    enabled         boolean     NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    disabled_reason text,                                 -- why barcast disabled it, or null
    disabled_at     timestamptz,
    failing_since   timestamptz                           -- first failed attempt since a success
);

CREATE INDEX webhooks_by_key ON webhooks (key_id, created_at DESC, webhook_id DESC);

CREATE TABLE webhook_deliveries (
    -- deterministic from (webhook, topic, partition, offset, record time); message_id is its text
    delivery_id      uuid        PRIMARY KEY,
    webhook_id       uuid        NOT NULL REFERENCES webhooks (webhook_id) ON DELETE CASCADE,
    message_id       text        NOT NULL,               -- the webhook-id header: msg_<hex>
    event_type       text        NOT NULL,
    payload          text        NOT NULL,               -- the exact body every attempt sends
    state            text        NOT NULL DEFAULT 'pending'
                     CHECK (state IN ('pending', 'delivered', 'failed', 'given_up')),
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz,                        -- null once delivered or given up
    lease_until      timestamptz,                        -- an instance is sending it until then
    last_status      integer,                            -- HTTP status of the last attempt
    last_latency_ms  integer,
    last_error       text,
    event_at         timestamptz NOT NULL,               -- the record's time in Kafka
    created_at       timestamptz NOT NULL DEFAULT now(),
    delivered_at     timestamptz
);

-- what senders claim: the due deliveries, oldest due first
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at)
    WHERE state IN ('pending', 'failed');
-- a webhook's deliveries, newest first (the listing)
CREATE INDEX webhook_deliveries_by_webhook
    ON webhook_deliveries (webhook_id, created_at DESC, delivery_id DESC);
-- the retention cleanup
CREATE INDEX webhook_deliveries_by_age ON webhook_deliveries (created_at);
