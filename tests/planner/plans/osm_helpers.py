"""A tiny OpenStreetMap extract drawn over the demo region's depot and a few of its stops."""

from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from planner.store import Stop, region_depot, session_scope
from tests.planner.travel.helpers import write_osm

KEPT_STOPS = 3


def keep_few_stops(engine: Engine, count: int = KEPT_STOPS) -> list[str]:
    """Deactivate all but the first `count` stops (by id), so a small extract covers them all."""
    with session_scope(engine) as session:
        stops = list(session.exec(select(Stop).order_by(col(Stop.id))))
        for index, stop in enumerate(stops):
            stop.active = index < count
            session.add(stop)
        return [stop.name for stop in stops[:count]]


def region_extract(engine: Engine, path: Path) -> Path:
    """An .osm file whose residential roads run from the depot to each active stop and back.

    Every place is a road node, so nothing needs snapping:   stop ── depot ── stop
                                                                       │
                                                                      stop
    """
    with session_scope(engine) as session:
        depot = region_depot(session)
        assert depot is not None
        stops = list(session.exec(select(Stop).where(col(Stop.active)).order_by(col(Stop.id))))
        nodes = {1: (depot.lat, depot.lon)}
        nodes.update({index: (s.lat, s.lon) for index, s in enumerate(stops, start=2)})
    ways = [([1, node], {"highway": "residential"}) for node in nodes if node != 1]
    return write_osm(path, nodes, ways)


def far_away_extract(path: Path) -> Path:
    """A real-looking extract of a road in Papua: it reaches none of the demo's places."""
    return write_osm(
        path, {1: (-2.53, 140.70), 2: (-2.54, 140.71)}, [([1, 2], {"highway": "primary"})]
    )


def as_pbf(osm_path: Path) -> Path:
    """The same extract as .osm.pbf (the format regional downloads come in), written by osmium."""
    import osmium

    target = osm_path.with_name(osm_path.stem + ".osm.pbf")
    with osmium.SimpleWriter(str(target)) as writer:
        for item in osmium.FileProcessor(str(osm_path)):
            writer.add(item)
    return target
