-- Every API token expires. Tokens made before expiry dates existed get the
-- default lifetime of 90 days from the day this migration runs, so that no
-- script stops working without warning.
ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMPTZ;
UPDATE api_tokens SET expires_at = now() + INTERVAL '90 days';
ALTER TABLE api_tokens ALTER COLUMN expires_at SET NOT NULL;
