"""Representative points, name variants (abbreviations, demonyms, county forms), curated regions and document
context of the place resolver, on a tiny hand-made world."""

from __future__ import annotations

import pytest
from _helpers import tiny_world_state

from detente.resolve import gazetteer as gz
from detente.resolve.gazetteer import CityRecord, Gazetteer
from detente.resolve.places import PlaceResolver, _name_key, haversine_km

ADMIN1 = {
    ("US", "TX"): "Texas", ("US", "IN"): "Indiana", ("US", "MO"): "Missouri", ("US", "PA"): "Pennsylvania",
    ("US", "OH"): "Ohio", ("CA", "08"): "Ontario", ("FJ", "01"): "Western", ("PH", "03"): "Central Luzon",
    ("KE", "30"): "Siaya County", ("GE", "04"): "Imereti",
}


def _cities() -> list[CityRecord]:
    return [
        CityRecord(1, "Dallas", 32.78, -96.80, "US", "TX", 1300000, []),
        CityRecord(2, "Austin", 30.27, -97.74, "US", "TX", 960000, []),
        # Boone County, Missouri is the larger one; Zionsville lies in Boone County, Indiana
        CityRecord(3, "Columbia", 38.95, -92.33, "US", "MO", 126000, [], admin2="Boone County"),
        CityRecord(4, "Centralia", 39.21, -92.14, "US", "MO", 4000, [], admin2="Boone County"),
        CityRecord(5, "Lebanon", 40.05, -86.47, "US", "IN", 16000, [], admin2="Boone County"),
        CityRecord(6, "Zionsville", 39.95, -86.26, "US", "IN", 30000, [], admin2="Boone County"),
        CityRecord(7, "Indianapolis", 39.77, -86.16, "US", "IN", 870000, []),
        CityRecord(8, "Harrisburg", 40.27, -76.88, "US", "PA", 50000, []),
        CityRecord(9, "Columbus", 39.96, -83.00, "US", "OH", 900000, []),
        CityRecord(10, "Toronto", 43.70, -79.42, "CA", "08", 2700000, []),
        CityRecord(11, "Windsor", 42.30, -83.02, "CA", "08", 217000, []),
        CityRecord(12, "Suva", -18.14, 178.44, "FJ", "01", 77000, []),
        CityRecord(13, "Labasa", -16.43, 179.36, "FJ", "01", 28000, []),
        CityRecord(14, "Taveuni", -16.85, -179.97, "FJ", "01", 9000, []),
        CityRecord(15, "Cabanatuan", 15.49, 120.97, "PH", "03", 300000, [], admin2="Province of Nueva Ecija"),
        CityRecord(16, "San Jose", 15.79, 120.99, "PH", "03", 140000, [], admin2="Province of Nueva Ecija"),
        CityRecord(17, "Siaya", 0.06, 34.29, "KE", "30", 30000, []),
        CityRecord(18, "Java", 42.39, 43.93, "GE", "04", 1500, []),  # a village in Georgia, not the island
    ]


@pytest.fixture(scope="module")
def state():
    return tiny_world_state(_cities(), ADMIN1, {"US", "CA", "FJ", "PH", "KE", "GE", "ID"})


@pytest.fixture(scope="module")
def resolver(state):
    return PlaceResolver(gazetteer=Gazetteer.from_state(state)).initialize()


def _one(resolver, name, text=None):
    text = text if text is not None else name
    start = text.index(name)
    (p,) = resolver.resolve([(name, start, start + len(name))], text=text)
    return p


# --- representative points -------------------------------------------------------------------------------------

def test_centre_across_the_antimeridian():
    lat, lon = gz._trimmed_centre([(-18.0, 178.0), (-16.0, -179.0), (-17.0, 179.0)], 0.0)
    assert lat == pytest.approx(-17.0)
    assert abs(lon) > 178  # on Fiji's side of the globe, not near Greenwich
    assert gz._trimmed_centre([(0.0, 10.0), (2.0, 20.0)], 0.0) == (1.0, 15.0)


def test_region_spanning_the_antimeridian_is_placed_on_it(state):
    (fiji,) = [c for c in Gazetteer.from_state(state).candidates("Fiji") if c.feature_code == "PCLI"]
    assert haversine_km(fiji.lat, fiji.lon, -17.5, 178.5) < 400


def test_admin1_point_from_data_file_overrides_town_box(state):
    (on,) = [c for c in Gazetteer.from_state(state).candidates("Ontario") if c.feature_code == "ADM1"]
    # the towns alone (Toronto, Windsor) would put Ontario on Lake Erie; the hand-written point is in the north
    assert on.lat > 48 and haversine_km(on.lat, on.lon, 43.0, -81.2) > 500


def test_admin1_without_a_data_point_is_the_box_of_its_towns(state):
    (tx,) = [c for c in Gazetteer.from_state(state).candidates("Texas") if c.feature_code == "ADM1"]
    assert tx.lat == pytest.approx((32.78 + 30.27) / 2) and tx.lon == pytest.approx((-96.80 - 97.74) / 2)


# --- name variants ---------------------------------------------------------------------------------------------

def test_generic_prefix_and_suffix_names(state):
    g = Gazetteer.from_state(state)
    (ne,) = g.candidates("Nueva Ecija")
    assert ne.feature_code == "ADM2" and ne.country == "PHL" and ne.name == "Nueva Ecija"
    assert any(c.feature_code == "ADM1" and c.country == "KEN" for c in g.candidates("Siaya"))


@pytest.mark.parametrize("mention, admin1", [("Ind.", "Indiana"), ("Pa.", "Pennsylvania")])
def test_state_abbreviation_as_a_mention(resolver, mention, admin1):
    p = _one(resolver, mention, f"He moved to {mention} last year.")
    assert p.feature_code == "ADM1" and p.admin1 == admin1


@pytest.mark.parametrize("mention, admin1", [("Texans", "Texas"), ("Ohioans", "Ohio"), ("Ontarians", "Ontario")])
def test_inhabitant_nouns(resolver, mention, admin1):
    p = _one(resolver, mention)
    assert p is not None and p.feature_code == "ADM1" and p.admin1 == admin1


def test_county_abbreviation(resolver):
    p = _one(resolver, "Boone Co.", "Boone Co. deputies said")
    assert p is not None and p.feature_code == "ADM2"


def test_postal_code_qualifier(resolver):
    p = _one(resolver, "Columbus", "Columbus, OH officials")
    assert p.admin1 == "Ohio"


# --- curated regions -------------------------------------------------------------------------------------------

def test_curated_region_beats_a_village_of_that_name(resolver):
    p = _one(resolver, "Java", "Floods in Java, officials in Dallas said.")
    assert p.country == "IDN" and p.feature_code == "ISL" and p.precision == "admin1"
    # ... unless the document is about the village's own region
    text = "Floods in Java, a village in Imereti."
    places = resolver.resolve([("Java", 10, 14), ("Imereti", 29, 36)], text=text)
    assert places[0].country == "GEO"


# --- document context ------------------------------------------------------------------------------------------

def test_name_key_groups_variants_of_one_name():
    assert _name_key("Boone County") == _name_key("Boone") == _name_key("Boone County's")
    assert _name_key("Boone") != _name_key("Boonville")


def test_variants_of_one_name_do_not_vote_for_each_other(resolver):
    # "Boone" and "Boone County" must not lock each other onto the larger Missouri county: Zionsville decides
    text = "Boone County grew. Zionsville, in Boone County, and Boone schools."
    mentions = [("Boone County", 0, 12), ("Zionsville", 19, 29), ("Boone County", 34, 46), ("Boone", 52, 57)]
    places = resolver.resolve(mentions, text=text)
    assert [p.admin1 for p in places] == ["Indiana"] * 4


def test_region_named_outside_the_mentions_is_context(resolver):
    text = "Boone County's jobless rate rose, the Indiana Department of Workforce Development said."
    assert _one(resolver, "Boone County", text).admin1 == "Indiana"
    assert _one(resolver, "Boone County", "Boone County's jobless rate rose.").admin1 == "Missouri"
    off = PlaceResolver(gazetteer=resolver.gaz, scan_weight=0.0)
    assert _one(off, "Boone County", text).admin1 == "Missouri"
