"""Finding a resident's place by name, offline: no geocoder, only the region's own names."""

import difflib
from dataclasses import dataclass

from planner.core import code_key, fold
from planner.schedule.model import Schedule, ScheduledStop, VillageInfo

MIN_QUERY_CHARS = 3
SUGGESTION_CUTOFF = 0.6


@dataclass(frozen=True)
class PlaceMatches:
    """What a typed place name matched: villages, stops, and close spellings when nothing did."""

    villages: tuple[VillageInfo, ...]
    stops: tuple[ScheduledStop, ...]
    suggestions: tuple[VillageInfo, ...]


def _squashed(text: str) -> str:
    return fold(text).replace(" ", "")


def _names_match(name: str, query: str) -> bool:
    key = _squashed(name)
    if len(key) < MIN_QUERY_CHARS or len(query) < MIN_QUERY_CHARS:
        return False
    return key in query or query in key


def find_places(schedule: Schedule, text: str) -> PlaceMatches:
    """Match an address or place name against village, kecamatan and stop names, offline.

    "Jl. Siliwangi, Hegarsari" finds Hegarsari; "3279012003" finds the village by its code.
    """
    code, query = code_key(text), _squashed(text)
    if not query:
        return PlaceMatches((), (), ())
    villages = [v for v in schedule.villages if v.code == code or _names_match(v.name, query)]
    if not villages:
        villages = [v for v in schedule.villages if _names_match(v.kecamatan, query)]
    codes = {v.code for v in villages}
    stops = [s for s in schedule.stops if s.village.code in codes or _names_match(s.name, query)]
    suggestions: list[VillageInfo] = []
    if not villages and not stops:
        by_key = {_squashed(v.name): v for v in schedule.villages}
        words = {query, *(_squashed(w) for w in fold(text).split())}
        for word in sorted(words):
            for key in difflib.get_close_matches(word, list(by_key), n=3, cutoff=SUGGESTION_CUTOFF):
                if by_key[key] not in suggestions:
                    suggestions.append(by_key[key])
    return PlaceMatches(tuple(villages), tuple(stops), tuple(suggestions))
