-- Every API token expires. Tokens made before expiry dates existed get the
-- default lifetime of 90 days from the day this migration runs, so that no
-- script stops working without warning. SQLite cannot add a NOT NULL column
-- without a default; the server treats a missing expiry as expired. The
-- format is the one the driver writes, so comparisons stay textual-safe.
ALTER TABLE api_tokens ADD COLUMN expires_at DATETIME;
UPDATE api_tokens SET expires_at = strftime('%Y-%m-%d %H:%M:%f+00:00', 'now', '+90 days');
