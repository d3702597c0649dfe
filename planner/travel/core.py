"""The travel-time interface every provider implements: points in, a travel matrix out."""

import math
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from planner.core import KelilingError, _

PROVIDER_NAMES = ("estimate", "osm", "osrm")
# Float noise (1e-12 s) must not add a whole second when a duration is rounded up.
ROUNDING_SLACK_S = 1e-6
MAX_LATITUDE_DEG = 90.0
MAX_LONGITUDE_DEG = 180.0
SECONDS_PER_HOUR = 3600.0
METRES_PER_KM = 1000.0


class TravelError(KelilingError):
    """A travel-time provider failed: server down, file unreadable, a point not reachable."""

    def __init__(self, message: str, *, point_index: int | None = None) -> None:
        super().__init__(message)
        # 0-based index into the requested points, when one point is to blame.
        self.point_index = point_index


@dataclass(frozen=True)
class Point:
    """A WGS84 position in degrees."""

    lat: float
    lon: float

    def __post_init__(self) -> None:
        lat_ok = math.isfinite(self.lat) and abs(self.lat) <= MAX_LATITUDE_DEG
        lon_ok = math.isfinite(self.lon) and abs(self.lon) <= MAX_LONGITUDE_DEG
        if not (lat_ok and lon_ok):
            msg = f"need -90 <= lat <= 90 and -180 <= lon <= 180, got ({self.lat}, {self.lon})"
            raise ValueError(msg)

    def describe(self) -> str:
        """Return 'lat, lon' with 5 decimals (about 1 m), as shown to a user."""
        return f"{self.lat:.5f}, {self.lon:.5f}"


Rows = tuple[tuple[int, ...], ...]


def _check_rows(name: str, rows: Rows, size: int) -> None:
    if any(len(row) != size for row in rows):
        msg = f"{name} must be a square {size}x{size} matrix"
        raise ValueError(msg)
    if any(value < 0 for row in rows for value in row):
        msg = f"{name} must not contain negative values"
        raise ValueError(msg)
    if any(rows[i][i] != 0 for i in range(size)):
        msg = f"{name} must be zero on the diagonal"
        raise ValueError(msg)


@dataclass(frozen=True)
class TravelMatrix:
    """Travel distances and durations between every ordered pair of points, for one vehicle."""

    provider: str
    label: str
    vehicle_kind: str
    distance_m: Rows
    duration_s: Rows

    def __post_init__(self) -> None:
        if self.provider not in PROVIDER_NAMES:
            msg = f"provider must be one of {PROVIDER_NAMES}, got {self.provider!r}"
            raise ValueError(msg)
        size = len(self.distance_m)
        if len(self.duration_s) != size:
            msg = f"distance_m has {size} rows but duration_s has {len(self.duration_s)}"
            raise ValueError(msg)
        _check_rows("distance_m", self.distance_m, size)
        _check_rows("duration_s", self.duration_s, size)

    @property
    def size(self) -> int:
        """The number of points."""
        return len(self.distance_m)


class TravelProvider(Protocol):
    """Anything that turns points into a travel matrix for a vehicle kind."""

    name: str

    def matrix(self, points: Sequence[Point], vehicle_kind: str) -> TravelMatrix:
        """Travel distances and durations between every ordered pair of points."""
        ...


def ceil_seconds(duration_s: float) -> int:
    """Round a duration up to whole seconds, ignoring float noise."""
    return max(0, math.ceil(duration_s - ROUNDING_SLACK_S))


def metres_per_second(speed_kmh: float) -> float:
    """Convert km/h to m/s."""
    return speed_kmh * METRES_PER_KM / SECONDS_PER_HOUR


def check_speeds_kmh(speeds_kmh: Mapping[str, float], what: str) -> dict[str, float]:
    """Return a copy of the speeds after checking each is a positive finite km/h."""
    for key, speed in speeds_kmh.items():
        if not (math.isfinite(speed) and speed > 0):
            msg = f"{what} speed for {key!r} must be positive, got {speed}"
            raise ValueError(msg)
    return dict(speeds_kmh)


def require_vehicle_kind(vehicle_kind: str, known: Collection[str]) -> None:
    """Raise TravelError when a provider has no setting for this vehicle kind."""
    if vehicle_kind not in known:
        choices = ", ".join(sorted(known))
        msg = _("Unknown vehicle kind '{kind}' (choices: {choices}).").format(
            kind=vehicle_kind, choices=choices
        )
        raise TravelError(msg)


def unreachable_error(
    points: Sequence[Point], missing: Collection[tuple[int, int]], source: str
) -> TravelError:
    """Name the point that most missing pairs involve (the one cut off from the others)."""
    counts: Counter[int] = Counter()
    for origin, destination in missing:
        counts[origin] += 1
        counts[destination] += 1
    # Ties go to the lowest index so the message is deterministic.
    index = min(counts, key=lambda i: (-counts[i], i))
    others = {o for pair in missing if index in pair for o in pair if o != index}
    msg = _(
        "Point {number} ({point}) is not connected with {others} other points according to"
        " {source}. Check where that point is on the map: it may be on a cut-off road, outside"
        " the file's area, or on a one-way road."
    ).format(number=index + 1, point=points[index].describe(), others=len(others), source=source)
    return TravelError(msg, point_index=index)
