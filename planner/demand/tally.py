"""Per-village sufficient statistics of the demand model: all it needs from answers and visits.

A village's answers reduce to counts (interest scores, ticked days, slots, topics, age groups,
genders) and two exact sums (TGM scores and travel minutes, as fractions, so that a mean over
many villages equals the float mean of every answer to the last bit). Logged visits keep their
attendance per visit. The stored tallies let the pages read the model without the answers.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from planner.core import WEEKDAYS
from planner.demand.inputs import AGE_GROUPS, GENDERS, INTEREST_MAX, INTEREST_MIN, Respondent
from planner.demand.tgm import DEFAULT_TGM_SCALE, TgmScale, tgm_score

# Bump when the tally's content or meaning changes: stored tallies of another version are stale.
TALLY_VERSION = 1
INTEREST_LEVELS = INTEREST_MAX - INTEREST_MIN + 1


@dataclass(frozen=True)
class Mentions:
    """How many people ticked each key, and how many gave any answer to the question."""

    counts: Mapping[str, int] = field(default_factory=dict)
    answered: int = 0

    def as_json(self) -> dict[str, Any]:
        """Return the mentions as JSON-ready data."""
        return {"counts": dict(sorted(self.counts.items())), "answered": self.answered}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Mentions":
        """Read mentions stored by as_json."""
        return cls({str(k): int(v) for k, v in data["counts"].items()}, int(data["answered"]))


def ticked(answers: Iterable[frozenset[str]]) -> Mentions:
    """Mentions of multiple-choice answers (a respondent who ticked nothing is not answered)."""
    counts: dict[str, int] = {}
    answered = 0
    for chosen in answers:
        answered += bool(chosen)
        for key in chosen:
            counts[key] = counts.get(key, 0) + 1
    return Mentions(counts, answered)


def given(values: Iterable[object], keys: Sequence[str]) -> Mentions:
    """Mentions of a single-choice answer: every value but None counts as answered."""
    counts: dict[str, int] = {}
    answered = 0
    for value in values:
        if value is None:
            continue
        answered += 1
        if isinstance(value, str) and value in keys:
            counts[value] = counts.get(value, 0) + 1
    return Mentions(counts, answered)


def total(mentions: Iterable[Mentions]) -> Mentions:
    """The mentions of several groups together."""
    counts: dict[str, int] = {}
    answered = 0
    for part in mentions:
        answered += part.answered
        for key, count in part.counts.items():
            counts[key] = counts.get(key, 0) + count
    return Mentions(counts, answered)


# Every finite float is a multiple of 2**-1074: scaled by 2**1074 it is an integer, so a sum of
# floats is an exact integer sum (much faster than adding Fractions one by one).
FLOAT_SCALE_BITS = 1074


def scaled(value: float) -> int:
    """A finite float times 2**1074: an exact integer."""
    numerator, denominator = value.as_integer_ratio()
    return numerator << (FLOAT_SCALE_BITS - denominator.bit_length() + 1)


def exact_sum(values: Iterable[float]) -> Fraction:
    """The exact sum of finite floats."""
    return Fraction(sum(scaled(value) for value in values), 1 << FLOAT_SCALE_BITS)


def exact_mean(sum_: Fraction, count: int) -> float | None:
    """The float mean of numbers whose exact sum is `sum_` (as statistics.fmean gives it)."""
    # fmean is fsum(data) / n, and fsum is the exact sum correctly rounded: so is float(sum_).
    return float(sum_) / count if count else None


def _fraction(text: str) -> Fraction:
    return Fraction(text)


@dataclass(frozen=True)
class VillageTally:
    """One village's answers and logged visits, reduced to what the demand model reads."""

    respondents: int = 0
    interest: tuple[int, ...] = (0,) * INTEREST_LEVELS  # respondents per score, 1 first
    tgm_sum: Fraction = Fraction(0)
    travel_sum: Fraction = Fraction(0)
    travel_answers: int = 0
    days: Mentions = Mentions()
    slots: Mentions = Mentions()
    topics: Mentions = Mentions()
    age_groups: Mentions = Mentions()
    genders: Mentions = Mentions()
    observed: tuple[int, ...] = ()  # attendance per logged visit

    def interested(self, threshold: int) -> int:
        """Respondents whose interest score is at least `threshold`."""
        return sum(self.interest[threshold - INTEREST_MIN :])

    def as_json(self) -> dict[str, Any]:
        """Return the tally as JSON-ready data (exact sums as 'numerator/denominator')."""
        return {
            "respondents": self.respondents,
            "interest": list(self.interest),
            "tgm_sum": str(self.tgm_sum),
            "travel_sum": str(self.travel_sum),
            "travel_answers": self.travel_answers,
            **{name: getattr(self, name).as_json() for name in MENTION_FIELDS},
            "observed": list(self.observed),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "VillageTally":
        """Read a tally stored by as_json."""
        mentions = {name: Mentions.from_json(data[name]) for name in MENTION_FIELDS}
        return cls(
            respondents=int(data["respondents"]),
            interest=tuple(int(n) for n in data["interest"]),
            tgm_sum=_fraction(data["tgm_sum"]),
            travel_sum=_fraction(data["travel_sum"]),
            travel_answers=int(data["travel_answers"]),
            observed=tuple(int(n) for n in data["observed"]),
            **mentions,
        )


MENTION_FIELDS = ("days", "slots", "topics", "age_groups", "genders")


def event_attendance(attendance: Mapping[str, Any]) -> int:
    """Total people in an event's attendance ({"anak": {"L": 3, "P": 4}, ...})."""
    total = 0
    for value in attendance.values():
        if isinstance(value, Mapping):
            total += sum(int(v) for v in value.values() if isinstance(v, int | float))
        elif isinstance(value, int | float):
            total += int(value)
    return total


def respondent_from_answers(village_code: str, answers: Mapping[str, Any]) -> Respondent:
    """A stored, normalised survey response as the model's Respondent."""

    def number(key: str) -> float:
        value = answers.get(key)
        return float(value) if isinstance(value, int | float) else 0.0

    travel = answers.get("waktu_tempuh")
    return Respondent(
        village_code=village_code,
        interest=int(answers.get("minat") or 1),
        fm=number("fm"),
        dm=number("dm"),
        jb=number("jb"),
        fai=number("fai"),
        dai=number("dai"),
        days=frozenset(d for d in answers.get("hari") or () if d in WEEKDAYS),
        slots=frozenset(answers.get("waktu") or ()),
        topics=frozenset(answers.get("topik") or ()),
        travel_minutes=float(travel) if isinstance(travel, int | float) else None,
        age_group=answers.get("usia"),
        gender=answers.get("jenis_kelamin"),
    )


def tally_village(
    respondents: Iterable[Respondent],
    observed: Iterable[int] = (),
    scale: TgmScale = DEFAULT_TGM_SCALE,
) -> VillageTally:
    """The tally of one village's respondents and the attendance of its logged visits."""
    builder = TallyBuilder(scale)
    for respondent in respondents:
        builder.add(respondent)
    return builder.tally(observed)


def _mention(counts: dict[str, int], keys: Iterable[str]) -> None:
    for key in keys:
        counts[key] = counts.get(key, 0) + 1


class TallyBuilder:
    """A village's tally built one respondent at a time, so answers can be streamed."""

    def __init__(self, scale: TgmScale = DEFAULT_TGM_SCALE) -> None:
        self.scale = scale
        self.respondents = 0
        self.interest = [0] * INTEREST_LEVELS
        self.tgm = self.travel = self.travel_answers = 0
        self.counts: dict[str, dict[str, int]] = {name: {} for name in MENTION_FIELDS}
        self.answered = dict.fromkeys(MENTION_FIELDS, 0)

    def add(self, r: Respondent) -> None:
        """Count one respondent."""
        self.respondents += 1
        self.interest[r.interest - INTEREST_MIN] += 1
        self.tgm += scaled(tgm_score(r.fm, r.dm, r.jb, r.fai, r.dai, self.scale))
        if r.travel_minutes is not None:
            self.travel += scaled(r.travel_minutes)
            self.travel_answers += 1
        for name, chosen in (("days", r.days), ("slots", r.slots), ("topics", r.topics)):
            self.answered[name] += bool(chosen)
            _mention(self.counts[name], chosen)
        for name, value, keys in (
            ("age_groups", r.age_group, AGE_GROUPS),
            ("genders", r.gender, GENDERS),
        ):
            if value is not None:
                self.answered[name] += 1
                if isinstance(value, str) and value in keys:
                    _mention(self.counts[name], (value,))

    def tally(self, observed: Iterable[int] = ()) -> VillageTally:
        """The tally of the respondents added so far, with these visits' attendance."""
        unit = 1 << FLOAT_SCALE_BITS
        mentions = {
            name: Mentions(dict(self.counts[name]), self.answered[name]) for name in MENTION_FIELDS
        }
        return VillageTally(
            respondents=self.respondents,
            interest=tuple(self.interest),
            tgm_sum=Fraction(self.tgm, unit),
            travel_sum=Fraction(self.travel, unit),
            travel_answers=self.travel_answers,
            observed=tuple(observed),
            **mentions,
        )
