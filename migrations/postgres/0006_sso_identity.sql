-- A person who signed in once through single sign-on is found again by the
-- issuer's stable (issuer, subject) pair, never again by e-mail: an issuer
-- that lets someone change their e-mail address must not let them take
-- over another account that has it. One identity per account and issuer.
CREATE TABLE user_identities (
    issuer     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE UNIQUE INDEX user_identities_user_issuer_key ON user_identities (user_id, issuer);
