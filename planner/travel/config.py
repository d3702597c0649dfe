"""Choosing a travel provider from a setting: estimate, OSM or OSRM.

- EstimateProvider: great-circle distance × circuity at a town speed; always available,
  labelled as an estimate.
- OsmProvider: the road network of an OpenStreetMap extract the user supplies.
- OsrmProvider: an OSRM server's table service.
"""

from pathlib import Path

from planner.core import _
from planner.travel.core import TravelError, TravelProvider
from planner.travel.estimate import EstimateProvider
from planner.travel.osm import OsmProvider
from planner.travel.osrm import OsrmProvider


def provider_from_config(
    name: str, *, osm_path: Path | None = None, osrm_url: str | None = None
) -> TravelProvider:
    """Build the provider a setting names: 'estimate', 'osm' (needs osm_path) or 'osrm'."""
    choice = name.strip().lower()
    if choice == EstimateProvider.name:
        return EstimateProvider()
    if choice == OsmProvider.name:
        if osm_path is None:
            msg = _(
                "The 'osm' travel time source needs an OpenStreetMap extract file"
                " (.osm or .osm.pbf), but no file is set."
            )
            raise TravelError(msg)
        return OsmProvider(osm_path)
    if choice == OsrmProvider.name:
        if not osrm_url or not osrm_url.strip():
            msg = _(
                "The 'osrm' travel time source needs an OSRM server address"
                " (e.g. http://127.0.0.1:5000), but no address is set."
            )
            raise TravelError(msg)
        return OsrmProvider(osrm_url)
    msg = _("Unknown travel time source '{name}' (choices: estimate, osm, osrm).").format(name=name)
    raise TravelError(msg)
