"""Migration 0007: the travel-time settings of a region."""

from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from planner.store import alembic_config, migrate


def test_0007_adds_the_travel_settings_and_keeps_the_region(engine: Engine, region: object) -> None:
    """A region from before 0007 plans with the estimate until someone chooses otherwise."""
    from alembic import command
    from sqlmodel import Session, select

    from planner.store import Region

    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0006")
        connection.commit()
    columns = {c["name"] for c in inspect(engine).get_columns("region")}
    assert not columns & {"travel_provider", "osrm_url", "osm_file"}
    migrate(engine)
    with Session(engine) as session:
        stored = session.exec(select(Region)).one()
    assert (stored.travel_provider, stored.osrm_url, stored.osm_file) == ("estimate", None, None)
