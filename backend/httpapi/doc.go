// Package httpapi is Strategieraum's HTTP transport: the JSON API under
// /api, health and metrics endpoints, the websocket handshake and the
// single-page frontend, all served by one echo instance.
//
// Routes are written by hand in routes.go and described in openapi.yaml
// (served at /api/openapi.yaml; the frontend generates its types from it).
// Two tests keep them honest: TestOpenAPIMatchesRoutes compares the
// registered routes with the documented operations, and
// TestResponsesMatchOpenAPI checks real responses against the documented
// schemas.
//
// Errors are RFC 9457 problem documents. Domain codes map to statuses
// once, in errors.go: every EINVALID is 400 (malformed JSON, wrong types
// and unacceptable values alike, with "errors" naming the fields), ELOCKED
// is 423, ERATELIMIT is 429 with Retry-After, and anything without a code
// is a logged 500 shown only as "Interner Fehler" with the request id.
//
// Authentication is a server-side session behind a random cookie
// (strategieraum_session, __Host-strategieraum_session under HTTPS) or a
// personal API token (Authorization: Bearer srt_...); only SHA-256 hashes
// of either are stored. Authorisation is never decided here: handlers ask
// policy.Check.
//
// Expired sessions are deleted by the retention janitor (backend/retention).
// The composition root should list the reverse proxies in
// Config.TrustedProxies, since the login limit counts per client address.
package httpapi
