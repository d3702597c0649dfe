"""A reading profile and a small hand-built city shared by the demand model tests."""

from planner.demand import DemandParams, Respondent, VillageInfo

# fm=5/7 -> 71.43, dm=90/120 -> 75, jb=3/6 -> 50, fai=7/7 -> 100, dai=60/180 -> 33.33
# TGM = 0.3 * (71.4286 + 75 + 50) + 0.05 * (100 + 33.3333) = 58.9286 + 6.6667 = 65.5952
HABITS = (5.0, 90.0, 3.0, 7.0, 60.0)  # fm, dm, jb, fai, dai
HABITS_TGM = 65.5952381
HABIT_FIELDS = ("fm", "dm", "jb", "fai", "dai")
MAX_SHIFT = DemandParams().small_sample_max_shift


def answers(code: str, interest: int, count: int, **extra: object) -> list[Respondent]:
    """`count` identical respondents of one village with the HABITS reading profile."""
    return [Respondent(code, interest, *HABITS, **extra) for _ in range(count)]  # type: ignore[arg-type]


def small_city() -> tuple[list[VillageInfo], list[Respondent]]:
    """Three villages, ten answers each; everyone reads alike, so TGM plays no part.

    A: 20 000 people at the library (0 km), all 10 interested, mornings, children's books, sat.
    B: 20 000 people, 5 km away, 5 of 10 interested, no preferences given.
    C: 50 000 people, 10 km away, nobody interested, afternoons, farming, mon+tue, 30 min away.
    City rate 15/30 = 0.5; kappa_min = 3 * 0.5 / 0.1 - 3 = 12 -> Beta(6, 6).
    """
    villages = [
        VillageInfo("A", "Alpha", 20_000, 0.0),
        VillageInfo("B", "Beta", 20_000, 5.0),
        VillageInfo("C", "Gamma", 50_000, 10.0),
    ]
    a_profile = {"slots": frozenset({"pagi"}), "topics": frozenset({"anak"})}
    respondents = [
        *answers("A", 5, 6, **a_profile, days=frozenset({"sat"}), age_group="anak", gender="P"),
        *answers("A", 5, 4, **a_profile, days=frozenset({"sat"}), age_group="dewasa", gender="L"),
        *answers("B", 4, 5),
        *answers("B", 2, 5),
        *answers(
            "C",
            1,
            10,
            slots=frozenset({"sore"}),
            topics=frozenset({"pertanian"}),
            days=frozenset({"mon", "tue"}),
            travel_minutes=30.0,
        ),
    ]
    return villages, respondents
