-- @idem-scan/runtime: records of idempotent requests (PostgresStore).
CREATE TABLE IF NOT EXISTS idempotency_keys (
  key          text        PRIMARY KEY,   -- sha256 of (namespace, scope, key)
  scope        text        NOT NULL DEFAULT '',
  fingerprint  text        NOT NULL,      -- sha256 of method, path and canonical body
  status       text        NOT NULL CHECK (status IN ('in-progress', 'completed')),
  token        text        NOT NULL,      -- ownership token of the claim
  response     jsonb,                     -- { status, headers, body (base64) } once completed
  locked_until timestamptz,
  expires_at   timestamptz NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS idempotency_keys_expires_at ON idempotency_keys (expires_at);
