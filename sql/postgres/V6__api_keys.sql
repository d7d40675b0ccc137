-- The query API's keys: only a SHA-256 of each key is kept; the key itself is shown once, when
-- `barcast api-keys create` makes it.
CREATE TABLE api_keys (
    key_id      text        PRIMARY KEY,           -- safe to log and show: bk_<key_id>_<secret>
    key_hash    text        NOT NULL UNIQUE,       -- SHA-256 (hex) of the whole key
    name        text        NOT NULL,              -- who or what holds it, e.g. bot1
    tier        text        NOT NULL CHECK (tier IN ('default', 'premium', 'admin')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz                        -- null while the key is valid
);
