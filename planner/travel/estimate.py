"""Travel times between stops: one interface, three providers, an optional cache.

- EstimateProvider: great-circle distance × circuity at a town speed; always available,
  labelled as an estimate.
- OsmProvider: the road network of an OpenStreetMap extract the user supplies.
- OsrmProvider: an OSRM server's table service.
"""

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

from planner.core import haversine_m
from planner.travel.cache import CachedProvider
from planner.travel.core import (
    Point,
    TravelError,
    TravelMatrix,
    TravelProvider,
    ceil_seconds,
    check_speeds_kmh,
    metres_per_second,
    require_vehicle_kind,
)
from planner.travel.osm import OsmProvider
from planner.travel.osm_roads import DEFAULT_ROAD_SPEEDS_KMH
from planner.travel.osrm import OsrmProvider

__all__ = [
    "DEFAULT_CIRCUITY",
    "DEFAULT_ROAD_SPEEDS_KMH",
    "DEFAULT_SPEEDS_KMH",
    "CachedProvider",
    "EstimateProvider",
    "OsmProvider",
    "OsrmProvider",
    "Point",
    "TravelError",
    "TravelMatrix",
    "TravelProvider",
    "provider_from_config",
]

# Average door-to-door speeds in Kota Banjar town traffic.
DEFAULT_SPEEDS_KMH: Mapping[str, float] = MappingProxyType({"van": 30.0, "motor": 35.0})
# Roads are longer than the straight line between two stops; 1.3 is typical of small towns.
DEFAULT_CIRCUITY = 1.3


class EstimateProvider:
    """Straight-line distance × circuity, driven at a fixed speed per vehicle kind."""

    name = "estimate"

    def __init__(
        self,
        circuity: float = DEFAULT_CIRCUITY,
        speeds_kmh: Mapping[str, float] = DEFAULT_SPEEDS_KMH,
    ) -> None:
        if not (math.isfinite(circuity) and circuity >= 1.0):
            msg = f"circuity must be at least 1 (a road is never shorter), got {circuity}"
            raise ValueError(msg)
        self.circuity = circuity
        self.speeds_kmh = check_speeds_kmh(speeds_kmh, "estimate")

    @property
    def cache_key(self) -> str:
        """What identifies this provider's answers: circuity and speeds."""
        return f"estimate:{self.circuity!r}:{sorted(self.speeds_kmh.items())}"

    @property
    def label(self) -> str:
        """The label shown in every plan made with this provider."""
        circuity = f"{self.circuity:g}".replace(".", ",")
        return f"Perkiraan garis lurus × {circuity} (bukan jaringan jalan)"

    def matrix(self, points: Sequence[Point], vehicle_kind: str) -> TravelMatrix:
        """Great-circle distance × circuity, and the time to drive it at the kind's speed."""
        require_vehicle_kind(vehicle_kind, self.speeds_kmh)
        speed_mps = metres_per_second(self.speeds_kmh[vehicle_kind])
        road_m = [
            [self.circuity * haversine_m(a.lat, a.lon, b.lat, b.lon) for b in points]
            for a in points
        ]
        return TravelMatrix(
            provider=self.name,
            label=self.label,
            vehicle_kind=vehicle_kind,
            distance_m=tuple(tuple(round(m) for m in row) for row in road_m),
            duration_s=tuple(tuple(ceil_seconds(m / speed_mps) for m in row) for row in road_m),
        )


def provider_from_config(
    name: str, *, osm_path: Path | None = None, osrm_url: str | None = None
) -> TravelProvider:
    """Build the provider a setting names: 'estimate', 'osm' (needs osm_path) or 'osrm'."""
    choice = name.strip().lower()
    if choice == EstimateProvider.name:
        return EstimateProvider()
    if choice == OsmProvider.name:
        if osm_path is None:
            msg = (
                "Sumber waktu tempuh 'osm' memerlukan berkas ekstrak OpenStreetMap "
                "(.osm atau .osm.pbf), tetapi belum ada berkas yang diatur."
            )
            raise TravelError(msg)
        return OsmProvider(osm_path)
    if choice == OsrmProvider.name:
        if not osrm_url or not osrm_url.strip():
            msg = (
                "Sumber waktu tempuh 'osrm' memerlukan alamat server OSRM "
                "(misalnya http://127.0.0.1:5000), tetapi belum ada alamat yang diatur."
            )
            raise TravelError(msg)
        return OsrmProvider(osrm_url)
    msg = f"Sumber waktu tempuh '{name}' tidak dikenal (pilihan: estimate, osm, osrm)."
    raise TravelError(msg)
