"""Perpusnas reading-habit index (TGM): one respondent's raw answers to a 0-100 score and band."""

import math
from dataclasses import dataclass
from typing import Any

from planner.core import N_
from planner.core import _ as translate

# Perpusnas weights: reading frequency, duration and books count most; internet access a little.
READING_WEIGHT = 0.3
INTERNET_WEIGHT = 0.05
INDEX_MAX = 100.0
# Perpusnas categories, by upper bound of the score (0-20 is "sangat rendah", and so on).
DEFAULT_BANDS: tuple[tuple[float, str], ...] = (
    (20.0, "sangat rendah"),
    (40.0, "rendah"),
    (60.0, "sedang"),
    (80.0, "tinggi"),
    (100.0, "sangat tinggi"),
)
# The default bands' names for the reader (a custom band name is shown as it is).
BAND_LABELS = {
    "sangat rendah": N_("very low"),
    "rendah": N_("low"),
    "sedang": N_("medium"),
    "tinggi": N_("high"),
    "sangat tinggi": N_("very high"),
}
CAP_FIELDS = (
    "fm_max_per_week",
    "dm_max_minutes",
    "jb_max_books",
    "fai_max_per_week",
    "dai_max_minutes",
)


@dataclass(frozen=True)
class TgmScale:
    """Caps that map raw answers to 0-100 indices (linear, clipped), and the score bands."""

    fm_max_per_week: float = 7.0
    dm_max_minutes: float = 120.0
    jb_max_books: float = 6.0
    fai_max_per_week: float = 7.0
    dai_max_minutes: float = 180.0
    bands: tuple[tuple[float, str], ...] = DEFAULT_BANDS

    def __post_init__(self) -> None:
        for name in CAP_FIELDS:
            cap = getattr(self, name)
            if not (math.isfinite(cap) and cap > 0):
                msg = f"{name} must be a positive number, got {cap!r}"
                raise ValueError(msg)
        uppers = [upper for upper, _ in self.bands]
        if not uppers or any(b <= a for a, b in zip(uppers, uppers[1:], strict=False)):
            msg = f"bands need strictly increasing upper bounds, got {uppers}"
            raise ValueError(msg)
        if uppers[-1] < INDEX_MAX:
            msg = f"the last band must reach {INDEX_MAX:g}, got {uppers[-1]:g}"
            raise ValueError(msg)
        if not all(label.strip() for _, label in self.bands):
            msg = "every band needs a label"
            raise ValueError(msg)

    def as_dict(self) -> dict[str, Any]:
        """Return the scale as JSON-ready data."""
        caps: dict[str, Any] = {name: getattr(self, name) for name in CAP_FIELDS}
        return {**caps, "bands": [[upper, label] for upper, label in self.bands]}


DEFAULT_TGM_SCALE = TgmScale()


def _index(raw: float, cap: float, name: str) -> float:
    if not (math.isfinite(raw) and raw >= 0):
        msg = f"{name} must be a non-negative number, got {raw!r}"
        raise ValueError(msg)
    return INDEX_MAX * min(raw / cap, 1.0)


def tgm_score(
    fm: float, dm: float, jb: float, fai: float, dai: float, scale: TgmScale = DEFAULT_TGM_SCALE
) -> float:
    """Perpusnas TGM (0-100): 0.3·(FM+DM+JB) + 0.05·(FAI+DAI) on indices clipped at the caps."""
    reading = (
        _index(fm, scale.fm_max_per_week, "fm")
        + _index(dm, scale.dm_max_minutes, "dm")
        + _index(jb, scale.jb_max_books, "jb")
    )
    internet = _index(fai, scale.fai_max_per_week, "fai") + _index(
        dai, scale.dai_max_minutes, "dai"
    )
    # min() only absorbs float rounding: the weights sum to exactly 1 on indices capped at 100.
    return min(READING_WEIGHT * reading + INTERNET_WEIGHT * internet, INDEX_MAX)


def tgm_band(score: float, scale: TgmScale = DEFAULT_TGM_SCALE) -> str:
    """Name the band of a TGM score: the first whose upper bound is at or above it."""
    if not (math.isfinite(score) and 0.0 <= score <= INDEX_MAX):
        msg = f"TGM score must lie in 0-{INDEX_MAX:g}, got {score!r}"
        raise ValueError(msg)
    return next(label for upper, label in scale.bands if score <= upper)


def band_label(band: str) -> str:
    """A TGM band (as stored, e.g. "sangat rendah") in the current language."""
    return translate(BAND_LABELS[band]) if band in BAND_LABELS else band
