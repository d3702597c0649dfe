"""Navigation links for a route: Google Maps legs of a few stops, `geo:` links for map apps."""

from dataclasses import dataclass
from urllib.parse import quote

from planner.plans import RouteView

GOOGLE_DIRECTIONS = "https://www.google.com/maps/dir/?api=1"
MAX_WAYPOINTS = 3  # Google Maps in a phone's browser opens at most 3 waypoints per link


@dataclass(frozen=True)
class Point:
    """A place on the route with the label a map app shows."""

    label: str
    lat: float
    lon: float

    @property
    def coords(self) -> str:
        """'lat,lon' with six decimals (about 10 cm)."""
        return f"{self.lat:.6f},{self.lon:.6f}"


def directions_url(
    origin: Point | None, destination: Point, waypoints: list[Point] | None = None
) -> str:
    """A Google Maps driving-directions link (no origin: from where the phone is)."""
    url = GOOGLE_DIRECTIONS + (f"&origin={origin.coords}" if origin else "")
    url += f"&destination={destination.coords}"
    if waypoints:
        url += "&waypoints=" + "%7C".join(p.coords for p in waypoints)
    return url + "&travelmode=driving"


def geo_url(point: Point) -> str:
    """A `geo:` link with a label, opened by OsmAnd, Organic Maps and most map apps."""
    return f"geo:{point.coords}?q={point.coords}({quote(point.label, safe='')})"


def route_legs(points: list[Point]) -> list[list[Point]]:
    """Split the route into links of at most MAX_WAYPOINTS stops between origin and destination.

    Consecutive legs share an endpoint: [d, 1, 2, 3, 4], [4, 5, 6, 7, 8], [8, d].
    """
    step = MAX_WAYPOINTS + 1
    return [points[i : i + step + 1] for i in range(0, len(points) - 1, step)]


def route_points(route: RouteView) -> list[Point]:
    """Depot, the stops in order, depot (just the stops when there is no depot)."""
    stops = [
        Point(f"{n}. {v.stop_name}", v.lat, v.lon) for n, v in enumerate(route.visits, start=1)
    ]
    if route.depot is None:
        return stops
    home = Point(route.depot.name, route.depot.lat, route.depot.lon)
    return [home, *stops, home]
