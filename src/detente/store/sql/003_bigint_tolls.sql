-- detente store schema, version 3: toll counts in 64-bit columns. A report of "3,000,000,000 killed" overflowed
-- the 32-bit columns and aborted the whole batch (issue 14). The schema now also flags and drops counts above
-- TOLL_MAX (detente.schema), so these columns see only plausible values; BIGINT is the second line of defence.

ALTER TABLE events ALTER COLUMN killed_low TYPE BIGINT;
ALTER TABLE events ALTER COLUMN killed_best TYPE BIGINT;
ALTER TABLE events ALTER COLUMN killed_high TYPE BIGINT;
ALTER TABLE events ALTER COLUMN injured_low TYPE BIGINT;
ALTER TABLE events ALTER COLUMN injured_best TYPE BIGINT;
ALTER TABLE events ALTER COLUMN injured_high TYPE BIGINT;
ALTER TABLE canonical_events ALTER COLUMN killed_low TYPE BIGINT;
ALTER TABLE canonical_events ALTER COLUMN killed_best TYPE BIGINT;
ALTER TABLE canonical_events ALTER COLUMN killed_high TYPE BIGINT;
ALTER TABLE canonical_events ALTER COLUMN injured_low TYPE BIGINT;
ALTER TABLE canonical_events ALTER COLUMN injured_best TYPE BIGINT;
ALTER TABLE canonical_events ALTER COLUMN injured_high TYPE BIGINT;
-- DuckDB cannot alter a table that has an index: drop the incidents indexes around it.
-- dialect: duckdb
DROP INDEX IF EXISTS incidents_date_idx;
-- dialect: duckdb
DROP INDEX IF EXISTS incidents_article_idx;
ALTER TABLE incidents ALTER COLUMN killed_best TYPE BIGINT;
ALTER TABLE incidents ALTER COLUMN injured_best TYPE BIGINT;
-- dialect: duckdb
CREATE INDEX IF NOT EXISTS incidents_date_idx ON incidents (date);
-- dialect: duckdb
CREATE INDEX IF NOT EXISTS incidents_article_idx ON incidents (article_id);
