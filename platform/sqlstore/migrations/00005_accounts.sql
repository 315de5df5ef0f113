-- Accounts, browser sessions and API tokens (issue 11).
-- Session ids and API tokens are random 256-bit secrets; only their SHA-256
-- is stored, so a copy of the database does not let anyone sign in.
-- Booleans are INTEGER 0/1 on both dialects.

CREATE TABLE users (
    id {{ID}},
    username TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    province_code TEXT NOT NULL DEFAULT '',
    pilot_id BIGINT REFERENCES pilots (id),
    -- PHC string: $argon2id$v=19$m=…,t=…,p=…$salt$hash
    password_hash TEXT NOT NULL,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    disabled INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE sessions (
    id_hash TEXT NOT NULL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    address TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id {{ID}},
    user_id BIGINT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
