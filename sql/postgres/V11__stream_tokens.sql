-- Stream tokens: short-lived stand-ins for an API key in the query string of a stream or WebSocket
-- URL, for browsers (EventSource and WebSocket cannot send headers). Only a SHA-256 of each token
-- is kept, with the key it stands for; the API deletes expired rows every minute, so the table
-- holds at most the tokens of the last minutes (creating one costs a rate-limit token).
CREATE TABLE stream_tokens (
    token_hash  text        PRIMARY KEY,           -- SHA-256 (hex) of the token
    key_id      text        NOT NULL REFERENCES api_keys (key_id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);

CREATE INDEX stream_tokens_expires_at ON stream_tokens (expires_at);
