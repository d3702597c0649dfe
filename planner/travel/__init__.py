"""Travel times between stops: one interface, three providers (estimate, OSM, OSRM), a cache."""

from planner.travel.estimate import (
    DEFAULT_ROAD_SPEEDS_KMH,
    CachedProvider,
    EstimateProvider,
    OsmProvider,
    OsrmProvider,
    Point,
    TravelError,
    TravelMatrix,
    TravelProvider,
    provider_from_config,
)

__all__ = [
    "CachedProvider",
    "DEFAULT_ROAD_SPEEDS_KMH",
    "EstimateProvider",
    "OsmProvider",
    "OsrmProvider",
    "Point",
    "TravelError",
    "TravelMatrix",
    "TravelProvider",
    "provider_from_config",
]
