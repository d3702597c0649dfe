"""The travel matrix cache, in memory and on disk."""

import json
from collections.abc import Sequence
from pathlib import Path

from planner.travel import CachedProvider, EstimateProvider, Point, TravelMatrix
from tests.planner.travel.helpers import BANJAR


class CountingProvider:
    """A provider that counts how often it is asked."""

    name = "estimate"

    def __init__(self) -> None:
        self.calls = 0
        self.inner = EstimateProvider()

    def matrix(self, points: Sequence[Point], vehicle_kind: str) -> TravelMatrix:
        self.calls += 1
        return self.inner.matrix(points, vehicle_kind)


POINTS = [BANJAR, Point(-7.35, 108.56)]


def test_cache_asks_once_for_repeated_requests() -> None:
    counting = CountingProvider()
    cached = CachedProvider(counting, region="3279")
    first = cached.matrix(POINTS, "van")
    assert cached.matrix(list(POINTS), "van") == first
    assert cached.matrix([Point(-7.37000001, 108.53), POINTS[1]], "van") == first  # < 0.1 m
    assert counting.calls == 1
    cached.matrix([POINTS[1], POINTS[0]], "van")
    assert counting.calls == 2
    assert cached.name == "estimate"


def test_cache_keeps_vehicle_kinds_and_regions_apart(tmp_path: Path) -> None:
    counting = CountingProvider()
    banjar = CachedProvider(counting, region="3279", cache_dir=tmp_path)
    other = CachedProvider(counting, region="3207", cache_dir=tmp_path)
    van, motor = banjar.matrix(POINTS, "van"), banjar.matrix(POINTS, "motor")
    assert (van.vehicle_kind, motor.vehicle_kind) == ("van", "motor")
    assert van.duration_s != motor.duration_s
    other.matrix(POINTS, "van")
    assert counting.calls == 3
    assert len(list(tmp_path.glob("*.json"))) == 3


def test_directory_cache_survives_a_new_instance(tmp_path: Path) -> None:
    first = CachedProvider(CountingProvider(), region="3279", cache_dir=tmp_path / "cache")
    expected = first.matrix(POINTS, "van")
    fresh = CountingProvider()
    again = CachedProvider(fresh, region="3279", cache_dir=tmp_path / "cache")
    assert again.matrix(POINTS, "van") == expected
    assert fresh.calls == 0


def test_damaged_cache_file_is_recomputed(tmp_path: Path) -> None:
    CachedProvider(CountingProvider(), region="3279", cache_dir=tmp_path).matrix(POINTS, "van")
    (cache_file,) = tmp_path.glob("*.json")
    cache_file.write_text("{not json", encoding="utf-8")
    fresh = CountingProvider()
    matrix = CachedProvider(fresh, region="3279", cache_dir=tmp_path).matrix(POINTS, "van")
    assert fresh.calls == 1
    assert json.loads(cache_file.read_text(encoding="utf-8"))["matrix"]["duration_s"] == [
        list(row) for row in matrix.duration_s
    ]


def test_cache_key_follows_the_provider_configuration(tmp_path: Path) -> None:
    slow = CachedProvider(EstimateProvider(speeds_kmh={"van": 10.0}), "3279", tmp_path)
    fast = CachedProvider(EstimateProvider(speeds_kmh={"van": 40.0}), "3279", tmp_path)
    assert slow.matrix(POINTS, "van").duration_s != fast.matrix(POINTS, "van").duration_s
