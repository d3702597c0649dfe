"""The region the app serves (one per database)."""

from sqlmodel import Session, select

from planner.core import NotFoundError
from planner.store import Region


def current_region(session: Session) -> Region:
    """The installed region, or a clear error telling how to install one."""
    region = session.exec(select(Region)).first()
    if region is None:
        msg = "Belum ada wilayah di basis data: jalankan 'keliling init' dahulu."
        raise NotFoundError(msg)
    return region
