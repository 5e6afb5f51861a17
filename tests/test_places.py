"""Gazetteer index, normalisation, cache, GeoNames import and context disambiguation, on a tiny hand-made world."""

from __future__ import annotations

import pytest
from _helpers import tiny_world_state

from detente.errors import DetenteError
from detente.resolve import gazetteer as gz
from detente.resolve.gazetteer import CityRecord, Gazetteer, normalize
from detente.resolve.places import PlaceResolver, haversine_km

ADMIN1 = {
    ("FR", "11"): "Île-de-France", ("US", "TX"): "Texas", ("US", "LA"): "Louisiana", ("US", "VA"): "Virginia",
    ("PK", "02"): "Balochistan", ("PK", "05"): "Sindh", ("IR", "04"): "Sistan and Baluchestan",
    ("IR", "26"): "Tehran", ("EG", "06"): "Alexandria",
}


def _cities() -> list[CityRecord]:
    return [
        CityRecord(2988507, "Paris", 48.85341, 2.3488, "FR", "11", 2138551, ["Paris", "Lutece"]),
        CityRecord(4717560, "Paris", 33.66094, -95.55551, "US", "TX", 24782, []),
        CityRecord(4684888, "Dallas", 32.78306, -96.80667, "US", "TX", 1300092, []),
        CityRecord(4314550, "Alexandria", 31.31129, -92.44514, "US", "LA", 47723, []),
        CityRecord(4744709, "Alexandria", 38.80484, -77.04692, "US", "VA", 159428, []),
        CityRecord(361058, "Alexandria", 31.20176, 29.91582, "EG", "06", 3811516, ["Al Iskandariyah"]),
        CityRecord(1167528, "Quetta", 30.18414, 67.00141, "PK", "02", 733675, []),
        CityRecord(1174872, "Karachi", 24.8608, 67.0104, "PK", "05", 11624219, []),
        CityRecord(1159301, "Zahedan", 29.4963, 60.8629, "IR", "04", 551980, []),
        CityRecord(112931, "Tehran", 35.69439, 51.42151, "IR", "26", 7153309, []),
        CityRecord(4259418, "Saint Louis", 38.62727, -90.19789, "US", "LA", 315685, ["St. Louis"]),
    ]


@pytest.fixture(scope="module")
def state():
    return tiny_world_state(_cities(), ADMIN1, {"FR", "US", "PK", "IR", "EG"})


@pytest.fixture(scope="module")
def resolver(state):
    return PlaceResolver(gazetteer=Gazetteer.from_state(state)).initialize()


# --- normalisation ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    ("St. Louis", "Saint Louis"), ("Sīstān", "sistan"), ("Khyber-Pakhtunkhwa", "Khyber Pakhtunkhwa"),
    ("al-Anbar", "Al Anbar"), ("El-Fasher", "al Fasher"), ("U.S.", "US"), ("Côte d’Ivoire", "Cote d'Ivoire"),
    ("Trinidad & Tobago", "Trinidad and Tobago"), ("Mt. Kenya", "Mount Kenya"),
])
def test_normalize_variants_meet(a, b):
    assert normalize(a) == normalize(b)


def test_normalize_keeps_different_names_apart():
    assert normalize("Paris") != normalize("Parys")
    assert normalize("Sindh") == "sindh"


# --- index -----------------------------------------------------------------------------------------------------

def test_index_finds_cities_regions_countries(state):
    g = Gazetteer.from_state(state)
    paris = g.candidates("paris")
    assert [c.country for c in paris] == ["FRA", "USA"]  # most populous first
    assert paris[0].feature_code == "PPLC"  # capital from the country table
    assert paris[1].admin1 == "Texas" and paris[1].admin1_code == "US-TX"
    (bal,) = [c for c in g.candidates("Balochistan") if c.feature_code == "ADM1"]
    assert bal.country == "PAK" and bal.admin1_code == "PK-BA"
    assert bal.lat == pytest.approx(30.18414) and bal.lon == pytest.approx(67.00141)  # centre of its one city
    (pak,) = g.candidates("Pakistan")
    assert pak.feature_code == "PCLI" and pak.geonames_id == 1168579
    assert g.candidates("nowhere at all") == []


def test_alternate_names_are_marked(state):
    g = Gazetteer.from_state(state)
    (lutece,) = g.candidates("Lutece")
    assert lutece.name == "Paris" and lutece.alternate
    assert not g.candidates("Paris")[0].alternate
    assert g.candidates("St Louis")[0].name == "Saint Louis"


def test_aliases_from_data_file(state):
    g = Gazetteer.from_state(state)
    (sb,) = [c for c in g.candidates("Sistan-Baluchistan") if c.feature_code == "ADM1"]
    assert sb.country == "IRN" and sb.admin1_code == "IR-11"
    assert g.candidates("U.S.")[0].country == "USA"
    assert g.is_demonym("Pakistani")
    assert g.candidates("Pakistani")[0].country == "PAK"


def test_arabic_article_variant_lookup(state):
    g = Gazetteer.from_state(state)
    assert g.candidates("Iskandariyah")[0].country == "EGY"  # indexed as "Al Iskandariyah"


# --- cache -----------------------------------------------------------------------------------------------------

def test_cache_roundtrip(state, tmp_path):
    path = gz.save_state(state, tmp_path / "gaz.pkl")
    g = Gazetteer(path=path).initialize()
    assert [c.geonames_id for c in g.candidates("Alexandria")] == [
        c.geonames_id for c in Gazetteer.from_state(state).candidates("Alexandria")]
    assert len(g) == len(state["cols"]["gid"])


def test_cache_errors(tmp_path):
    with pytest.raises(DetenteError) as exc:
        Gazetteer(path=tmp_path / "missing.pkl").initialize()
    assert exc.value.code == "E400"
    bad = tmp_path / "bad.pkl"
    bad.write_bytes(b"not a pickle")
    with pytest.raises(DetenteError) as exc:
        Gazetteer(path=bad).initialize()
    assert exc.value.code == "E404"


def test_default_cache_path_is_keyed_by_versions(monkeypatch, tmp_path):
    monkeypatch.setenv("DETENTE_CACHE_DIR", str(tmp_path))
    path = gz.default_cache_path()
    assert path.parent == tmp_path and f"v{gz.FORMAT_VERSION}" in path.name


# --- disambiguation --------------------------------------------------------------------------------------------

def test_paris_alone_is_the_capital(resolver):
    (p,) = resolver.resolve([("Paris", 0, 5)], text="Paris")
    assert p.country == "FRA" and p.precision == "city" and p.geonames_id == 2988507


def test_paris_texas_by_qualifier(resolver):
    text = "A storm hit Paris, Texas on Monday."
    (p,) = resolver.resolve([("Paris", 12, 17)], text=text)
    assert p.country == "USA" and p.admin1 == "Texas"
    assert p.span.text == "Paris" and p.span.start == 12


def test_qualifier_inside_mention_and_ap_abbreviation(resolver):
    (p,) = resolver.resolve([("Alexandria, La.", 0, 15)], text="Alexandria, La.")
    assert p.admin1 == "Louisiana"
    text = "Police in Alexandria, Virginia said"
    (p,) = resolver.resolve([("Alexandria", 10, 20)], text=text)
    assert p.admin1 == "Virginia"


def test_document_context_pulls_towns(resolver):
    text = "Paris police met officials from Dallas and Texas."
    places = resolver.resolve([("Paris", 0, 5), ("Dallas", 32, 38), ("Texas", 43, 48)], text=text)
    assert [p.country for p in places] == ["USA", "USA", "USA"]
    assert places[0].admin1_code == "US-TX"
    assert places[2].precision == "admin1" and places[2].feature_code == "ADM1"


def test_balochistan_with_pakistan_context(resolver):
    text = "Pakistan said militants in Balochistan were hit."
    places = resolver.resolve([("Pakistan", 0, 8), ("Balochistan", 27, 38)], text=text)
    assert places[0].precision == "country" and places[0].country == "PAK"
    assert places[1].country == "PAK" and places[1].admin1_code == "PK-BA" and places[1].precision == "admin1"


def test_sistan_baluchistan_is_iranian(resolver):
    text = "Iran's Sistan-Baluchistan province"
    places = resolver.resolve([("Iran", 0, 4), ("Sistan-Baluchistan", 7, 25)], text=text)
    assert places[1].country == "IRN" and places[1].admin1_code == "IR-11"
    assert places[1].name == "Sistan and Baluchestan"


def test_context_countries_from_caller(resolver):
    (p,) = resolver.resolve([("Alexandria", 0, 10)], text="Alexandria", context_countries={"USA": 1.0})
    assert p.country == "USA"
    (p,) = resolver.resolve([("Alexandria", 0, 10)], text="Alexandria")
    assert p.country == "EGY"  # no global bias: population wins without context


def test_unknown_mentions_and_bad_offsets(resolver):
    assert resolver.resolve([("Atlantis", 0, 8)], text="Atlantis") == [None]
    assert resolver.resolve([]) == []
    with pytest.raises(DetenteError) as exc:
        resolver.resolve([("Paris", 0, 50)], text="Paris")
    assert exc.value.code == "E405"


def test_place_for_country(resolver):
    p = resolver.place_for_country("PAK")
    assert p.country == "PAK" and p.precision == "country" and p.lat is not None
    with pytest.raises(DetenteError) as exc:
        resolver.place_for_country("XYZ")
    assert exc.value.code == "E406"


def test_haversine_known_distance():
    # Paris – London is about 344 km
    assert haversine_km(48.8566, 2.3522, 51.5074, -0.1278) == pytest.approx(344, abs=3)


# --- GeoNames dump import --------------------------------------------------------------------------------------

def _row(gid, name, alts, lat, lon, fclass, fcode, cc, a1, pop):
    cols = [str(gid), name, name, ",".join(alts), str(lat), str(lon), fclass, fcode, cc, "", a1, "", "", "",
            str(pop), "", "0", "Asia/Karachi", "2024-01-01"]
    assert len(cols) == 19
    return "\t".join(cols)


def _dump(tmp_path):
    rows = [
        _row(1168579, "Pakistan", ["Islamic Republic of Pakistan"], 30.0, 70.0, "A", "PCLI", "PK", "00", 220892331),
        _row(1183606, "Balochistan", ["Baluchistan"], 28.5, 65.0, "A", "ADM1", "PK", "02", 12344408),
        _row(1167528, "Quetta", ["Kwatah"], 30.18414, 67.00141, "P", "PPLA", "PK", "02", 733675),
        _row(1176734, "Hub", [], 25.0, 66.9, "P", "PPL", "PK", "02", 1000),
        _row(1160000, "Some Hill", [], 29.0, 66.0, "T", "HLL", "PK", "02", 0),
    ]
    path = tmp_path / "allCountries.txt"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    alt = tmp_path / "alternateNamesV2.txt"
    alt.write_text("1\t1167528\ten\tQuettah\t\t\t\t\t\t\n2\t1167528\tur\tکوئٹہ\t\t\t\t\t\t\n", encoding="utf-8")
    return path, alt


def test_geonames_import(tmp_path):
    path, alt = _dump(tmp_path)
    state = gz.import_geonames(path, alternate_names=alt)
    g = Gazetteer.from_state(state)
    (q,) = g.candidates("Quettah")  # from the alternate-names file
    assert q.geonames_id == 1167528 and q.feature_code == "PPLA" and q.admin1 == "Balochistan"
    assert q.admin1_code == "PK-BA"
    (bal,) = [c for c in g.candidates("Balochistan") if c.feature_code == "ADM1"]
    assert bal.geonames_id == 1183606 and (bal.lat, bal.lon) == (28.5, 65.0)  # the dump's own point
    assert g.country("PAK").lat == 30.0
    assert g.candidates("Some Hill") == []  # class T not imported
    saved = gz.save_state(state, tmp_path / "imp.pkl")
    assert Gazetteer(path=saved).candidates("Kwatah")[0].name == "Quetta"


def test_geonames_import_errors(tmp_path):
    with pytest.raises(DetenteError) as exc:
        gz.import_geonames(tmp_path / "nope.txt")
    assert exc.value.code == "E402"
    bad = tmp_path / "bad.txt"
    bad.write_text("1\tOnly\tthree\n", encoding="utf-8")
    with pytest.raises(DetenteError) as exc:
        gz.import_geonames(bad)
    assert exc.value.code == "E403" and ":1 " in str(exc.value)


def test_gazetteer_cli_import_and_lookup(tmp_path):
    from typer.testing import CliRunner

    from detente.cli import _register, app

    _register()
    path, _ = _dump(tmp_path)
    out = tmp_path / "idx.pkl"
    res = CliRunner().invoke(app, ["gazetteer", "--geonames", str(path), "--out", str(out), "-l", "Quetta"])
    assert res.exit_code == 0, res.output
    assert out.exists() and "Quetta [PPLA]" in res.output
