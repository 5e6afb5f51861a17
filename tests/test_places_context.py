"""Document-level evidence of the place resolver (round 2): candidate-set clusters, lists of regions, adjacent
qualifiers without the text and US local-news cues, on a tiny hand-made world."""

from __future__ import annotations

import pytest
from _helpers import tiny_world_state

from detente.resolve.gazetteer import CityRecord, Gazetteer
from detente.resolve.places import PlaceResolver

ADMIN1 = {
    ("US", "VA"): "Virginia", ("US", "MN"): "Minnesota", ("US", "VT"): "Vermont", ("US", "PA"): "Pennsylvania",
    ("US", "CA"): "California", ("US", "OR"): "Oregon", ("US", "OH"): "Ohio", ("US", "IN"): "Indiana",
    ("US", "TX"): "Texas", ("GB", "ENG"): "England", ("MX", "15"): "México", ("MX", "14"): "Jalisco",
    ("EG", "09"): "Monufia",
}


def _cities() -> list[CityRecord]:
    return [
        # two Alexandrias and two Brandons: the small Minnesota pair lies 25 km apart
        CityRecord(1, "Alexandria", 38.80, -77.05, "US", "VA", 160000, []),
        CityRecord(2, "Alexandria", 45.89, -95.38, "US", "MN", 12000, []),
        CityRecord(3, "Brandon", 43.80, -73.09, "US", "VT", 40000, []),
        CityRecord(4, "Brandon", 45.97, -95.60, "US", "MN", 500, []),
        # a town named after a state, near a city of its own state
        CityRecord(5, "Pittsburgh", 40.44, -80.00, "US", "PA", 300000, []),
        CityRecord(6, "California", 40.07, -79.89, "US", "PA", 6000, []),
        CityRecord(7, "Los Angeles", 34.05, -118.24, "US", "CA", 200000, []),
        CityRecord(8, "Portland", 45.52, -122.68, "US", "OR", 600000, []),
        CityRecord(9, "Columbus", 39.96, -83.00, "US", "OH", 900000, []),
        CityRecord(10, "Dayton", 39.76, -84.19, "US", "OH", 140000, []),
        CityRecord(11, "Columbus", 39.20, -85.92, "US", "IN", 50000, []),
        CityRecord(12, "Indianapolis", 39.77, -86.16, "US", "IN", 870000, []),
        CityRecord(13, "Mansfield", 53.14, -1.20, "GB", "ENG", 170000, []),
        CityRecord(14, "Mansfield", 32.56, -97.14, "US", "TX", 64000, []),
        CityRecord(15, "Toluca", 19.29, -99.66, "MX", "15", 900000, []),
        CityRecord(16, "Guadalajara", 20.67, -103.35, "MX", "14", 1500000, []),
        CityRecord(17, "Shibin al Kawm", 30.55, 31.01, "EG", "09", 180000, []),
    ]


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer.from_state(tiny_world_state(_cities(), ADMIN1, {"US", "GB", "MX", "EG", "KE", "NO"}))


@pytest.fixture(scope="module")
def resolver(gazetteer):
    return PlaceResolver(gazetteer=gazetteer).initialize()


def _spans(text: str, *names: str) -> list[tuple[str, int, int]]:
    out, at = [], 0
    for name in names:
        start = text.index(name, at)
        out.append((name, start, start + len(name)))
        at = start + len(name)
    return out


# --- candidate-set clusters ------------------------------------------------------------------------------------

def test_nearby_namesakes_win_over_the_larger_towns(resolver, gazetteer):
    text = "Roads north of Alexandria are closed; a culvert southwest of Brandon washed out."
    mentions = _spans(text, "Alexandria", "Brandon")
    assert [p.admin1 for p in resolver.resolve(mentions, text=text)] == ["Minnesota", "Minnesota"]
    # without the cluster evidence each name falls back to its larger namesake
    off = PlaceResolver(gazetteer=gazetteer, cluster_weight=0.0).initialize()
    assert [p.admin1 for p in off.resolve(mentions, text=text)] == ["Virginia", "Vermont"]


def test_a_single_name_gets_no_cluster_support(resolver):
    (p,) = resolver.resolve([("Alexandria", 0, 10)], text="Alexandria police said.")
    assert p.admin1 == "Virginia"


# --- lists of regions ------------------------------------------------------------------------------------------

def test_a_state_in_a_list_of_states_is_the_state(resolver, gazetteer):
    text = "Pittsburgh officials met people from California and Oregon."
    mentions = _spans(text, "Pittsburgh", "California", "Oregon")
    places = resolver.resolve(mentions, text=text)
    assert places[1].feature_code == "ADM1" and places[1].admin1 == "California"
    # without the peer evidence the Pennsylvania town next to Pittsburgh wins
    off = PlaceResolver(gazetteer=gazetteer, peer_weight=0.0).initialize()
    assert off.resolve(mentions, text=text)[1].admin1 == "Pennsylvania"


def test_a_country_is_not_demoted_to_its_namesake_region(resolver):
    text = "Jalisco and the rest of Mexico"
    places = resolver.resolve(_spans(text, "Jalisco", "Mexico"), text=text)
    assert places[1].feature_code == "PCLI" and places[1].country == "MEX"


# --- qualifiers without the text -------------------------------------------------------------------------------

def test_adjacent_mention_qualifies_without_text(resolver):
    # the coder passes "Columbus" and "Indiana" as two proper-noun chains and no text
    ohio_context = [("Dayton", 40, 46), ("Dayton", 60, 66)]
    near = resolver.resolve([("Columbus", 0, 8), ("Indiana", 10, 17), *ohio_context], text=None)
    assert near[0].admin1 == "Indiana"
    far = resolver.resolve([("Columbus", 0, 8), ("Indiana", 20, 27), *ohio_context], text=None)
    assert far[0].admin1 == "Ohio"


# --- US local-news cues ----------------------------------------------------------------------------------------

def test_us_street_address_is_country_context(resolver, gazetteer):
    text = "MANSFIELD - The council meets at City Hall, 1200 E. Broad St., on Monday."
    (p,) = resolver.resolve([("MANSFIELD", 0, 9)], text=text)
    assert p.country == "USA"
    plain = "MANSFIELD - The council meets at City Hall on Monday."
    assert resolver.resolve([("MANSFIELD", 0, 9)], text=plain)[0].country == "GBR"
    off = PlaceResolver(gazetteer=gazetteer, cue_weight=0.0).initialize()
    assert off.resolve([("MANSFIELD", 0, 9)], text=text)[0].country == "GBR"


@pytest.mark.parametrize("cue", ["County Road 35", "Interstate 70", "I-95", "412 Oak Ave."])
def test_road_and_address_cues(resolver, cue):
    text = f"MANSFIELD - A crash on {cue} closed lanes."
    assert resolver.resolve([("MANSFIELD", 0, 9)], text=text)[0].country == "USA"


# --- hand-written data rows ------------------------------------------------------------------------------------

def test_governorate_spelling_variants_reach_the_admin1_row(gazetteer):
    (row,) = [c for c in gazetteer.candidates("Menoufia") if c.feature_code == "ADM1"]
    assert row.country == "EGY" and row.admin1_code == "EG-MNF" and row.name == "Monufia"


@pytest.mark.parametrize("name, country, fcode, box", [
    ("Kibera", "KEN", "PPLX", (-1.5, -1.1, 36.6, 37.0)),
    ("Hedmark", "NOR", "RGN", (60.0, 63.0, 10.0, 13.0)),
    ("Fort Detrick", "USA", "MILB", (39.0, 40.0, -78.0, -77.0)),
    ("Tahrir Square", "EGY", "SQR", (29.9, 30.2, 31.1, 31.4)),
])
def test_curated_local_places(resolver, name, country, fcode, box):
    (p,) = resolver.resolve([(name, 0, len(name))], text=name)
    assert p.country == country and p.feature_code == fcode
    assert box[0] < p.lat < box[1] and box[2] < p.lon < box[3]
