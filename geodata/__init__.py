"""Region packs (boundaries, population, working hours) and their loader."""

from geodata.errors import RegionPackError
from geodata.loader import available_regions, load_region
from geodata.population import largest_remainder
from geodata.region import (
    WEEKDAYS,
    BreakHours,
    DailyHours,
    DepotRecord,
    RegionPack,
    StopDefaults,
    StopRecord,
    VillageKind,
    VillageRecord,
)

__all__ = [
    "BreakHours",
    "DepotRecord",
    "RegionPack",
    "RegionPackError",
    "StopDefaults",
    "StopRecord",
    "VillageKind",
    "VillageRecord",
    "DailyHours",
    "WEEKDAYS",
    "available_regions",
    "largest_remainder",
    "load_region",
]
