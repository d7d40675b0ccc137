-- The query API's rate limits: one token bucket per API key, shared by every API instance
-- (api/.../limits/RateLimits, through Bucket4j's PostgreSQL integration, which locks a bucket's row
-- with SELECT ... FOR UPDATE while it takes tokens). A bucket that has been full again for a while
-- is deleted by the instances' cleaners, so the table holds the keys in use, not every key ever.
CREATE TABLE rate_limit_buckets (
    -- the key's id (bk_<key_id>_...), never the key; a deleted key takes its bucket along
    key_id      text   PRIMARY KEY REFERENCES api_keys (key_id) ON DELETE CASCADE,
    state       bytea,   -- Bucket4j's serialized bucket; null only while a first call creates it
    expires_at  bigint   -- epoch milliseconds after which the bucket is full and may be deleted
)
-- Every limited request updates its key's row: room on each page lets PostgreSQL write the new
-- version beside the old one (a HOT update). For the same reason expires_at has no index: the
-- cleaner's scan of a table of one row per active key is cheap, an index changed on every request
-- is not.
WITH (fillfactor = 70);
