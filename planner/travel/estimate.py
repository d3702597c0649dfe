"""The provider always at hand: great-circle distance × circuity at a town speed, an estimate."""

import math
from collections.abc import Mapping, Sequence
from types import MappingProxyType

from planner.core import haversine_m
from planner.travel.core import (
    Point,
    TravelMatrix,
    ceil_seconds,
    check_speeds_kmh,
    metres_per_second,
    require_vehicle_kind,
)

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
