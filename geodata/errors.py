"""Domain errors raised while reading region packs."""


class RegionPackError(ValueError):
    """A region pack is missing, incomplete or inconsistent."""
