"""Travel times between stops: one interface, three providers (estimate, OSM, OSRM), a cache."""

from planner.travel.cache import CachedProvider
from planner.travel.config import provider_from_config
from planner.travel.core import Point, TravelError, TravelMatrix, TravelProvider
from planner.travel.estimate import EstimateProvider
from planner.travel.osm import OsmProvider
from planner.travel.osm_roads import DEFAULT_ROAD_SPEEDS_KMH
from planner.travel.osrm import OsrmProvider

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
