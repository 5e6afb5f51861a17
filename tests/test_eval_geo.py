"""The geo eval task: metric functions and run() on hand-made gold records."""

from __future__ import annotations

import pytest
from _helpers import tiny_world_state

from detente.evaluate import geo
from detente.resolve.gazetteer import CityRecord, Gazetteer
from detente.resolve.places import PlaceResolver
from detente.schema import Place


@pytest.fixture(scope="module")
def resolver():
    cities = [
        CityRecord(4717560, "Paris", 33.66094, -95.55551, "US", "TX", 24782, []),
        CityRecord(2988507, "Paris", 48.85341, 2.3488, "FR", "11", 2138551, []),
        CityRecord(4684888, "Dallas", 32.78306, -96.80667, "US", "TX", 1300092, []),
    ]
    state = tiny_world_state(cities, {("US", "TX"): "Texas", ("FR", "11"): "Île-de-France"}, {"FR", "US"})
    return PlaceResolver(gazetteer=Gazetteer.from_state(state)).initialize()


def test_summarize_errors_by_hand():
    rep = geo.summarize_errors([0.0, 160.0, 162.0, 1000.0])
    assert rep == {"n": 4, "acc_161km": 0.5, "median_km": 161.0, "mean_km": 330.5}
    assert geo.summarize_errors([])["acc_161km"] is None


def test_distance_errors_id_credit_and_misses():
    gold = [{"lat": 0.0, "lon": 0.0, "gid": 7}, {"lat": 0.0, "lon": 0.0, "gid": None}, {"lat": None, "lon": None}]
    far = Place(name="x", geonames_id=7, lat=0.0, lon=10.0)
    assert geo.distance_errors([far, None, None], gold) == [0.0, geo.MISS_KM]
    raw = geo.distance_errors([far, None, None], gold, id_credit=False)
    assert raw[0] == pytest.approx(1111.9, abs=1)


def test_span_prf_exact_and_overlap():
    rep = geo.span_prf([(0, 5), (10, 14), (30, 33)], [(0, 5), (9, 14), (20, 25)])
    assert rep["exact"]["tp"] == 1 and rep["exact"]["precision"] == pytest.approx(0.3333, abs=1e-4)
    assert rep["overlap"]["tp"] == 2 and rep["overlap"]["recall"] == pytest.approx(0.6667, abs=1e-4)
    assert rep["overlap"]["f1"] == pytest.approx(0.6667, abs=1e-4)


def _records():
    text = "Paris police and Dallas officials met in Texas. Paris is calm."
    return [
        {"id": "a", "dataset": "one", "text": text, "location": [
            # id only, lat/lon and id, lat/lon only, and an unlinked toponym
            {"text": "Paris", "start": 0, "end": 5, "geonameid": "4717560", "lat": 33.66, "lon": -95.56},
            {"text": "Dallas", "start": 17, "end": 23, "lat": 32.78, "lon": -96.81},
            {"text": "Texas", "start": 41, "end": 46, "geonameid": "4736286"},
            {"text": "Paris", "start": 48, "end": 53, "lat": 48.85, "lon": 2.35},  # gold says France: a miss
        ]},
        {"id": "b", "dataset": "two", "text": "Nowhere Land", "location": [
            {"text": "Nowhere Land", "start": 0, "end": 12, "lat": 1.0, "lon": 1.0},
            {"text": "bad offsets", "start": 50, "end": 60, "lat": 1.0, "lon": 1.0},  # ignored
        ]},
    ]


def test_run_resolution_given_gold_spans(resolver):
    rep = geo.run(_records(), detection=False, resolver=resolver)
    # scored: 4 from a (3 with coords), 1 from b; Paris #1 right by id, Dallas right, Paris #2 wrong,
    # Texas has no coordinates, Nowhere Land unresolved
    assert rep["n"] == 5
    assert rep["acc_161km"] == pytest.approx(2 / 4)
    assert rep["exact"] == pytest.approx(1 / 2)  # Paris by id right; Texas id not in the tiny gazetteer
    assert rep["resolution"]["unresolved"] == 1
    assert rep["resolution"]["coverage_161km"] == pytest.approx(3 / 4)
    assert set(rep["datasets"]) == {"one", "two"}
    assert rep["datasets"]["two"]["acc_161km"] == 0.0
    assert "detection_f1" not in rep


@pytest.mark.model
def test_run_with_detection(resolver, nlp):
    recs = [_records()[0]]
    rep = geo.run(recs, detection=True, resolver=resolver, nlp=nlp)
    assert 0.0 <= rep["detection_precision"] <= 1.0 and rep["detection"]["exact"]["gold"] == 4
    assert rep["detection"]["overlap"]["tp"] >= rep["detection"]["exact"]["tp"]
