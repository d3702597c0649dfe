"""Preferred windows, days, topics and visitor profiles, smoothed toward the city."""

import pytest

from planner.core import WEEKDAYS
from planner.demand import (
    SLOT_WINDOWS,
    TOPICS,
    DemandParams,
    VillageInfo,
    estimate_demand,
    smoothed_shares,
)
from tests.planner.demand.helpers import answers, small_city


def test_smoothed_shares_pull_toward_the_city() -> None:
    city = {"pagi": 0.5, "siang": 0.25, "sore": 0.25}
    # 3 of 4 want pagi; strength 4: pagi (4*0.5 + 3)/8 = 0.625, siang = sore = (4*0.25)/8 = 0.125
    shares = smoothed_shares({"pagi": 3}, 4, city, 4.0, tuple(SLOT_WINDOWS))
    assert [(s.key, s.share) for s in shares] == [
        ("pagi", 0.625),
        ("siang", 0.125),
        ("sore", 0.125),
    ]
    nobody = smoothed_shares({}, 0, city, 4.0, tuple(SLOT_WINDOWS))
    assert {s.key: s.share for s in nobody} == city
    raw = smoothed_shares({"sore": 1}, 2, city, 0.0, tuple(SLOT_WINDOWS))
    assert [(s.key, s.share) for s in raw][0] == ("sore", 0.5)
    with pytest.raises(ValueError, match="malam"):
        smoothed_shares({"malam": 1}, 1, city, 4.0, tuple(SLOT_WINDOWS))


def test_windows_days_and_topics_reflect_the_answers() -> None:
    a, b, c = estimate_demand(*small_city()).villages
    # City: pagi 10/20, sore 10/20. A: pagi (10*0.5 + 10)/20 = 0.75, sore (10*0.5)/20 = 0.25
    assert [(w.slot, w.start, w.end, w.share) for w in a.preferred_windows] == [
        ("pagi", "07:30", "11:00", 0.75),
        ("sore", "14:00", "17:00", 0.25),
    ]
    assert [w.slot for w in c.preferred_windows] == ["sore", "pagi"]
    assert [(w.slot, w.share) for w in b.preferred_windows] == [("pagi", 0.5), ("sore", 0.5)]
    # Days: A's Saturday first; B (no answers) follows the city, ties in weekday order
    assert a.preferred_days[0].key == "sat" and len(a.preferred_days) == len(WEEKDAYS)
    assert [d.key for d in b.preferred_days[:3]] == ["mon", "tue", "sat"]
    # Topics: A anak (10*0.5 + 10)/20 = 0.75, pertanian 0.25, scaled to sum to 1
    assert [(t.key, t.share) for t in a.topics[:2]] == [("anak", 0.75), ("pertanian", 0.25)]
    assert c.topics[0].key == "pertanian"
    for village in (a, b, c):
        assert sum(t.share for t in village.topics) == pytest.approx(1.0)
        assert {t.key for t in village.topics} == set(TOPICS)


def test_weak_windows_drop_out_but_the_best_one_stays() -> None:
    strict = DemandParams(window_min_share=0.9)
    a = estimate_demand(*small_city(), params=strict).villages[0]
    assert [w.slot for w in a.preferred_windows] == ["pagi"]


def test_a_multi_topic_village_gets_a_crate_mix_summing_to_one() -> None:
    villages = [VillageInfo("X", "X", 8_000, 2.0)]
    picks = frozenset({"anak", "agama", "fiksi"})
    result = estimate_demand(villages, answers("X", 4, 5, topics=picks))
    # Each topic ticked by everyone: raw shares 1, 1, 1 -> one third each of the crate mix.
    assert {t.key: t.share for t in result.villages[0].topics if t.share} == pytest.approx(
        {"anak": 1 / 3, "agama": 1 / 3, "fiksi": 1 / 3}
    )


def test_profile_shares_of_age_group_and_gender() -> None:
    a, b, _ = estimate_demand(*small_city()).villages
    assert [(s.key, s.share) for s in a.age_groups] == [("anak", 0.6), ("dewasa", 0.4)]
    assert [(s.key, s.share) for s in a.genders] == [("P", 0.6), ("L", 0.4)]
    assert b.age_groups == () and b.genders == ()
