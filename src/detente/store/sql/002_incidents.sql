-- detente store schema, version 2: disasters and accidents (CodedArticle.incidents), beside the events.
-- Flat columns to filter and export on; record = the full Incident as JSON.

CREATE TABLE IF NOT EXISTS incidents (
    id                   TEXT PRIMARY KEY,
    article_id           TEXT NOT NULL,
    kind                 TEXT NOT NULL,
    hazard               TEXT NOT NULL,
    date                 DATE,
    date_inferred        BOOLEAN,
    published            DATE,
    location_name        TEXT,
    location_country     TEXT,
    location_admin1      TEXT,
    location_lat         DOUBLE PRECISION,
    location_lon         DOUBLE PRECISION,
    location_geonames_id BIGINT,
    killed_best          INTEGER,
    injured_best         INTEGER,
    confidence           DOUBLE PRECISION,
    evidence_text        TEXT,
    evidence_start       INTEGER,
    evidence_end         INTEGER,
    url                  TEXT,
    record               JSONDOC NOT NULL
);

CREATE INDEX IF NOT EXISTS incidents_date_idx ON incidents (date);

CREATE INDEX IF NOT EXISTS incidents_article_idx ON incidents (article_id);
