-- detente store schema, version 1.
-- Shared by DuckDB and PostgreSQL. Tokens: JSONDOC -> JSON (DuckDB) / JSONB (PostgreSQL).
-- A statement preceded by "-- dialect: postgres" (or duckdb) runs on that backend only.
-- Statements are separated by a semicolon at the end of a line.

CREATE TABLE IF NOT EXISTS articles (
    id              TEXT PRIMARY KEY,
    title           TEXT,
    published       TIMESTAMPTZ,
    source          TEXT,
    url             TEXT,
    language        TEXT,
    origin          TEXT,
    text            TEXT NOT NULL,
    meta            JSONDOC,
    warnings        JSONDOC,
    n_events        INTEGER NOT NULL,
    stored_at       TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS events (
    id                   TEXT PRIMARY KEY,
    article_id           TEXT NOT NULL,
    event_type           TEXT NOT NULL,
    mode                 TEXT,
    context              TEXT,
    quad_class           INTEGER,
    intensity            DOUBLE PRECISION,
    cameo_code           TEXT,
    acled_type           TEXT,
    acled_subtype        TEXT,
    date                 DATE,
    date_precision       TEXT,
    date_text            TEXT,
    date_inferred        BOOLEAN,
    published            DATE,
    actor_name           TEXT,
    actor_text           TEXT,
    actor_country        TEXT,
    actor_sector         TEXT,
    actor_kb_id          TEXT,
    actors               TEXT,
    recipient_name       TEXT,
    recipient_text       TEXT,
    recipient_country    TEXT,
    recipient_sector     TEXT,
    recipient_kb_id      TEXT,
    recipients           TEXT,
    location_name        TEXT,
    location_country     TEXT,
    location_admin1      TEXT,
    location_admin1_code TEXT,
    location_lat         DOUBLE PRECISION,
    location_lon         DOUBLE PRECISION,
    location_geonames_id BIGINT,
    location_precision   TEXT,
    killed_low           INTEGER,
    killed_best          INTEGER,
    killed_high          INTEGER,
    injured_low          INTEGER,
    injured_best         INTEGER,
    injured_high         INTEGER,
    toll_who             TEXT,
    modality             TEXT,
    claimant_name        TEXT,
    confidence           DOUBLE PRECISION,
    type_confidence      DOUBLE PRECISION,
    evidence_text        TEXT,
    evidence_start       INTEGER,
    evidence_end         INTEGER,
    trigger_text         TEXT,
    url                  TEXT,
    sources              TEXT,
    n_sources            INTEGER,
    canonical_id         TEXT,
    episode_id           TEXT,
    responds_to          TEXT,
    record               JSONDOC NOT NULL
);

-- One row per actor / recipient / claimant of a report-level event: what --actor and --country filter on.
CREATE TABLE IF NOT EXISTS event_entities (
    event_id    TEXT NOT NULL,
    role        TEXT NOT NULL,
    pos         INTEGER NOT NULL,
    text        TEXT,
    name        TEXT,
    country     TEXT,
    sector      TEXT,
    kb_id       TEXT,
    PRIMARY KEY (event_id, role, pos)
);

-- Every actor mention resolved in an article (CodedArticle.entities).
CREATE TABLE IF NOT EXISTS entities (
    article_id  TEXT NOT NULL,
    pos         INTEGER NOT NULL,
    text        TEXT NOT NULL,
    name        TEXT,
    country     TEXT,
    sector      TEXT,
    kb_id       TEXT,
    span_start  INTEGER,
    span_end    INTEGER,
    confidence  DOUBLE PRECISION,
    PRIMARY KEY (article_id, pos)
);

-- Every toponym resolved in an article (CodedArticle.places).
CREATE TABLE IF NOT EXISTS places (
    article_id   TEXT NOT NULL,
    pos          INTEGER NOT NULL,
    name         TEXT NOT NULL,
    geonames_id  BIGINT,
    lat          DOUBLE PRECISION,
    lon          DOUBLE PRECISION,
    admin1       TEXT,
    admin1_code  TEXT,
    country      TEXT,
    feature_code TEXT,
    precision    TEXT,
    span_start   INTEGER,
    span_end     INTEGER,
    confidence   DOUBLE PRECISION,
    PRIMARY KEY (article_id, pos)
);

CREATE TABLE IF NOT EXISTS rejects (
    id          TEXT PRIMARY KEY,
    origin      TEXT NOT NULL,
    code        TEXT NOT NULL,
    reason      TEXT NOT NULL,
    raw         TEXT,
    created     TIMESTAMPTZ,
    stored_at   TIMESTAMPTZ NOT NULL
);

-- Merged events from linking: same flat columns as events; id = canonical id, sources = article ids.
CREATE TABLE IF NOT EXISTS canonical_events (
    id                   TEXT PRIMARY KEY,
    article_id           TEXT NOT NULL,
    event_type           TEXT NOT NULL,
    mode                 TEXT,
    context              TEXT,
    quad_class           INTEGER,
    intensity            DOUBLE PRECISION,
    cameo_code           TEXT,
    acled_type           TEXT,
    acled_subtype        TEXT,
    date                 DATE,
    date_precision       TEXT,
    date_text            TEXT,
    date_inferred        BOOLEAN,
    published            DATE,
    actor_name           TEXT,
    actor_text           TEXT,
    actor_country        TEXT,
    actor_sector         TEXT,
    actor_kb_id          TEXT,
    actors               TEXT,
    recipient_name       TEXT,
    recipient_text       TEXT,
    recipient_country    TEXT,
    recipient_sector     TEXT,
    recipient_kb_id      TEXT,
    recipients           TEXT,
    location_name        TEXT,
    location_country     TEXT,
    location_admin1      TEXT,
    location_admin1_code TEXT,
    location_lat         DOUBLE PRECISION,
    location_lon         DOUBLE PRECISION,
    location_geonames_id BIGINT,
    location_precision   TEXT,
    killed_low           INTEGER,
    killed_best          INTEGER,
    killed_high          INTEGER,
    injured_low          INTEGER,
    injured_best         INTEGER,
    injured_high         INTEGER,
    toll_who             TEXT,
    modality             TEXT,
    claimant_name        TEXT,
    confidence           DOUBLE PRECISION,
    type_confidence      DOUBLE PRECISION,
    evidence_text        TEXT,
    evidence_start       INTEGER,
    evidence_end         INTEGER,
    trigger_text         TEXT,
    url                  TEXT,
    sources              TEXT,
    n_sources            INTEGER,
    canonical_id         TEXT,
    episode_id           TEXT,
    responds_to          TEXT,
    record               JSONDOC NOT NULL
);

CREATE TABLE IF NOT EXISTS canonical_entities (
    event_id    TEXT NOT NULL,
    role        TEXT NOT NULL,
    pos         INTEGER NOT NULL,
    text        TEXT,
    name        TEXT,
    country     TEXT,
    sector      TEXT,
    kb_id       TEXT,
    PRIMARY KEY (event_id, role, pos)
);

-- Secondary indexes on PostgreSQL only: DuckDB scans columns with zone maps and its ART indexes slow bulk writes.
-- dialect: postgres
CREATE INDEX IF NOT EXISTS events_article_idx ON events (article_id);
-- dialect: postgres
CREATE INDEX IF NOT EXISTS events_date_idx ON events (date);
-- dialect: postgres
CREATE INDEX IF NOT EXISTS events_type_idx ON events (event_type);
-- dialect: postgres
CREATE INDEX IF NOT EXISTS events_canonical_idx ON events (canonical_id);
-- dialect: postgres
CREATE INDEX IF NOT EXISTS event_entities_country_idx ON event_entities (country);
-- dialect: postgres
CREATE INDEX IF NOT EXISTS entities_country_idx ON entities (country);
-- dialect: postgres
CREATE INDEX IF NOT EXISTS rejects_code_idx ON rejects (code);
-- dialect: postgres
CREATE INDEX IF NOT EXISTS canonical_events_date_idx ON canonical_events (date);
-- dialect: postgres
CREATE INDEX IF NOT EXISTS canonical_entities_country_idx ON canonical_entities (country);
