-- The labels a strategy gives the four assessment categories of its
-- Abwägung ("übernommen" instead of "berücksichtigt"). The category keys
-- stay fixed; a category without a row keeps its default label.
CREATE TABLE abwaegung_labels (
    strategy_id BIGINT NOT NULL REFERENCES strategies(id) ON DELETE CASCADE,
    category    TEXT NOT NULL CHECK (category IN ('beruecksichtigt', 'teilweise_beruecksichtigt', 'nicht_beruecksichtigt', 'zur_kenntnis_genommen')),
    label       TEXT NOT NULL CHECK (label <> ''),
    updated_by  BIGINT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (strategy_id, category)
);
