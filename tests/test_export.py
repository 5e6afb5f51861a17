"""Exports: read each file back with pandas / json and check the values; ACLED and PLOVER names and order."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest
from store_fixtures import all_events, diplomacy, kenya, pakistan

from detente.errors import DetenteError
from detente.export import FORMATS, acled_columns, export
from detente.store import FLAT_COLUMNS

ACLED_ORDER = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]


def _assault():
    return pakistan().events[0]


def test_export_csv_round_trip(tmp_path):
    path = tmp_path / "ev.csv"
    assert export(all_events(), path, "csv") == 6
    df = pd.read_csv(path, keep_default_na=True)
    assert list(df.columns) == list(FLAT_COLUMNS)
    row = df.set_index("id").loc[_assault().id]
    assert (row["event_type"], row["killed_best"], row["location_geonames_id"]) == ("ASSAULT", 3, 1167528)
    assert row["date"] == "2024-03-04" and row["location_lat"] == pytest.approx(30.18414)
    assert row["actors"] == "Baloch Liberation Army" and row["context"] == "military;terrorism"
    assert pd.isna(df.set_index("event_type").loc["SANCTION", "date"])


def test_export_jsonl_is_full_records(tmp_path):
    from detente.schema import Event

    path = tmp_path / "ev.jsonl"
    export(all_events(), path, "jsonl")
    back = [Event.model_validate_json(line) for line in path.read_text().splitlines()]
    assert [e.model_dump() for e in back] == [e.model_dump() for e in all_events()]


def test_export_parquet_types(tmp_path):
    path = tmp_path / "ev.parquet"
    assert export(all_events(), path, "parquet") == 6
    df = pd.read_parquet(path)
    assert list(df.columns) == list(FLAT_COLUMNS)
    row = df.set_index("id").loc[_assault().id]
    assert row["killed_best"] == 3 and row["injured_best"] == 5
    assert str(row["date"]) == "2024-03-04"
    assert df["location_lat"].dtype == "float64"
    import pyarrow.parquet as pq

    schema = pq.read_schema(path)
    assert str(schema.field("date").type) == "date32[day]" and str(schema.field("killed_best").type) == "int64"


def test_export_parquet_empty_and_to_binary_stream(tmp_path):
    assert export([], tmp_path / "empty.parquet", "parquet") == 0
    assert list(pd.read_parquet(tmp_path / "empty.parquet").columns) == list(FLAT_COLUMNS)
    buf = io.BytesIO()
    export(kenya().events, buf, "parquet")
    assert len(pd.read_parquet(io.BytesIO(buf.getvalue()))) == 2
    with pytest.raises(DetenteError) as err:
        export(kenya().events, io.StringIO(), "parquet")
    assert err.value.code == "E210"


def test_export_geojson(tmp_path):
    path = tmp_path / "ev.geojson"
    export(all_events(), path, "geojson")
    fc = json.loads(path.read_text())
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 6
    by_id = {f["id"]: f for f in fc["features"]}
    quetta = by_id[_assault().id]
    assert quetta["geometry"] == {"type": "Point", "coordinates": [67.00141, 30.18414]}  # lon, lat
    assert quetta["properties"]["location_name"] == "Quetta" and quetta["properties"]["date"] == "2024-03-04"
    assert by_id[pakistan().events[1].id]["geometry"] is None
    assert "location_lat" not in quetta["properties"]
    empty = io.StringIO()
    export([], empty, "geojson")
    assert json.loads(empty.getvalue()) == {"type": "FeatureCollection", "features": []}


def test_export_plover_fields():
    buf = io.StringIO()
    assert export(all_events(), buf, "plover") == 6
    recs = {r["id"]: r for r in map(json.loads, buf.getvalue().splitlines())}
    rec = recs[_assault().id]
    assert rec["event"] == ["ASSAULT"] and rec["mode"] == ["firearms"] and rec["context"] == ["military", "terrorism"]
    assert rec["quad_code"] == 4 and rec["date"] == "2024-03-04"
    assert rec["actor"] == [{"code": "PAK", "sector": "REB", "entity_text": "Baloch Liberation Army",
                             "identifier_id": "Q2386606", "identifier_text": "Baloch Liberation Army"}]
    assert rec["recipient"][0]["sector"] == "COP"
    assert rec["size"] == {"dead": 3, "injured": 5, "arrested": None}
    loc = rec["event_loc"]
    assert (loc["geonameid"], loc["country_code"], loc["province"], loc["country"]) == (
        1167528, "PAK", "Balochistan", "Pakistan")
    assert rec["event_text"].startswith("The Baloch Liberation Army attacked")
    hyp = recs[diplomacy().events[1].id]
    assert hyp["has_event"] is False and hyp["event_loc"] is None and hyp["date"] is None
    for field in ("id", "date", "actor", "event"):  # PLOVER's required fields are always present
        assert all(field in r for r in recs.values())


def test_export_acled_columns_and_values(tmp_path):
    path = tmp_path / "acled.csv"
    n = export(all_events(), path, "acled", sources={pakistan().article.id: "Dawn"})
    assert n == 3  # only events with an ACLED type that happened: the Quetta attack and two Nairobi events
    with path.open(newline="") as fh:
        header = next(csv.reader(fh))
    assert header == ACLED_ORDER == [c for c, _ in acled_columns()]
    df = pd.read_csv(path, dtype=str, keep_default_na=False).set_index("event_id_cnty")
    q = df.loc[_assault().id]
    assert (q["event_date"], q["year"], q["time_precision"]) == ("2024-03-04", "2024", "1")
    assert (q["disorder_type"], q["event_type"], q["sub_event_type"]) == ("Political violence", "Battles",
                                                                          "Armed clash")
    assert (q["actor1"], q["inter1"], q["actor2"], q["inter2"], q["interaction"]) == (
        "Baloch Liberation Army", "2", "Police Forces of Pakistan", "1", "12")
    assert (q["iso"], q["country"], q["admin1"], q["location"]) == ("586", "Pakistan", "Balochistan", "Quetta")
    assert (q["geo_precision"], q["fatalities"], q["source"]) == ("1", "3", "Dawn")
    assert q["region"] == "" and q["timestamp"] == ""
    force = df.loc[kenya().events[1].id]
    assert force["disorder_type"] == "Political violence; Demonstrations"
    assert (force["inter1"], force["inter2"], force["interaction"], force["iso"]) == ("1", "6", "16", "404")
    assert (force["actor1"], force["actor2"]) == ("Police Forces of Kenya", "Protesters (Kenya)")
    protest = df.loc[kenya().events[0].id]
    assert protest["inter1"] == "6" and protest["fatalities"] == "0" and protest["source"] == ""
    assert (protest["actor1"], protest["actor2"]) == ("Protesters (Kenya)", "Government of Kenya")


# ACLED's header and one row in ACLED's own format (made up, not ACLED data): what pandas reads from a real file.
ACLED_REFERENCE = ",".join(ACLED_ORDER) + "\n" + (
    'PAK12345,2024-03-04,2024,1,Political violence,Battles,Armed clash,Military Forces of Pakistan (2018-),,1,'
    'BLA: Baloch Liberation Army,,2,12,,586,South Asia,Pakistan,Balochistan,Quetta,,Quetta,30.1841,67.0014,'
    '1,Dawn,National,"On 4 March 2024, BLA militants attacked a police post in Quetta.",3,,1710000000\n')


def test_export_acled_loads_with_the_dtypes_of_real_acled(tmp_path):
    path = tmp_path / "acled.csv"
    no_place = _assault().model_copy(update={"id": "ev-noplace", "location": None, "toll": None,
                                             "date_precision": None})
    export([*all_events(), no_place], path, "acled")
    ours, ref = pd.read_csv(path), pd.read_csv(io.StringIO(ACLED_REFERENCE))
    assert list(ours.columns) == list(ref.columns)
    for col in ("year", "time_precision", "inter1", "inter2", "interaction", "iso", "geo_precision", "fatalities",
                "latitude", "longitude", "event_date", "actor1", "country", "notes"):
        assert ours[col].dtype == ref[col].dtype, (col, ours[col].dtype, ref[col].dtype)
    row = ours.set_index("event_id_cnty").loc["ev-noplace"]
    # no place: the country comes from the recipient, at country precision; no deaths reported: 0
    assert (row["country"], row["iso"], row["geo_precision"], row["fatalities"]) == ("Pakistan", 586, 3, 0)
    assert pd.isna(row["location"]) and pd.isna(row["latitude"]) and row["time_precision"] == 1


def test_export_acled_actor_names_and_country_from_actors():
    from detente.export import acled_actor, acled_row
    from detente.schema import Entity

    ev = _assault().model_copy(update={"location": None, "recipient": [], "actor": [
        Entity(text="Iranian forces", country="IRN", sector="MIL"), Entity(text="Tehran", country="IRN")]})
    row = acled_row(ev)
    assert (row["actor1"], row["assoc_actor_1"], row["inter2"], row["interaction"]) == (
        "Military Forces of Iran", "Government of Iran", 0, "10")
    assert (row["country"], row["iso"], row["admin1"], row["location"]) == ("Iran", 364, None, None)
    assert acled_actor(Entity(text="QUITO", country="ECU", sector="GOV")) == "Government of Ecuador"
    assert acled_actor(Entity(text="M23", name="M23", country="COD", sector="REB")) == "M23"
    assert acled_actor(Entity(text="villagers", country="COD", sector="CVL")) == "Civilians (Democratic Republic of Congo)"
    assert acled_actor(Entity(text="gunmen")) == "gunmen"  # nothing resolved: the words of the report


def test_export_acled_inter_rules():
    from detente.export import acled_row
    from detente.schema import Entity

    ev = _assault()
    civ = ev.model_copy(update={"recipient": [Entity(text="villagers", country="PAK", sector="CVL")],
                                "acled_type": "Violence against civilians", "acled_subtype": "Attack"})
    row = acled_row(civ)
    assert (row["inter2"], row["interaction"], row["civilian_targeting"]) == (7, "27", "Civilian targeting")
    foreign = ev.model_copy(update={"actor": [Entity(text="Afghan forces", country="AFG", sector="MIL")],
                                    "recipient": []})
    row = acled_row(foreign)
    assert (row["inter1"], row["interaction"], row["actor2"]) == (8, "80", None)  # state forces abroad, alone
    riot = kenya().events[0].model_copy(update={"mode": "riot", "acled_type": "Riots",
                                                "acled_subtype": "Violent demonstration"})
    assert acled_row(riot)["inter1"] == 5 and acled_row(riot)["disorder_type"] == "Demonstrations"


def test_export_unknown_format_and_stream_left_open():
    with pytest.raises(DetenteError) as err:
        export(all_events(), io.StringIO(), "xlsx")
    assert err.value.code == "E209" and "acled" in str(err.value)
    buf = io.StringIO()
    export(kenya().events, buf, "csv")
    assert not buf.closed and buf.getvalue().count("\n") == 3
    assert set(FORMATS) == {"csv", "jsonl", "parquet", "geojson", "plover", "acled"}


def test_export_streams_generators(tmp_path):
    gen = (e for e in all_events())
    assert export(gen, tmp_path / "g.jsonl", "jsonl") == 6
