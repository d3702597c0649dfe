"""A seeded synthetic survey for the demo, written as a KoboToolbox CSV export.

It is labelled synthetic in its `catatan_data` column, so the importer flags the batch.
Calibration: Jawa Barat's TGM 2023 was 70.47; people read about 5 times a week, ~1 h 47 min
a day (Perpusnas via BPS). Villages far from the library are keener on a mobile library.
"""

import csv
import io
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from geodata import RegionPack
from planner.core import haversine_m
from planner.survey.questionnaire import (
    AGE_GROUPS,
    DAYS,
    QUESTIONS,
    SLOTS,
    SYNTHETIC_NOTE,
    SYNTHETIC_NOTE_COLUMN,
    TOPICS,
)

EMPTY_VILLAGES = 2
SPARSE_VILLAGES = 3  # villages with only 1-3 answers, to show shrinkage
AGE_WEIGHTS = (0.15, 0.25, 0.45, 0.15)
SURVEY_START = datetime(2026, 10, 5, 8, 0)
TOPICS_BY_PROFILE = {
    "anak": ("anak", "pelajaran", "fiksi"),
    "remaja": ("fiksi", "pelajaran", "teknologi", "sejarah"),
    "petani": ("pertanian", "agama", "kesehatan"),
    "pedagang": ("usaha", "keterampilan", "agama"),
    "irt": ("kesehatan", "keterampilan", "anak", "agama"),
    "lansia": ("agama", "kesehatan", "sejarah"),
    "dewasa": ("usaha", "agama", "kesehatan", "teknologi", "fiksi"),
}
OCCUPATIONS_BY_AGE = {
    "anak": ("pelajar",),
    "remaja": ("pelajar", "pelajar", "pelajar", "karyawan"),
    "dewasa": ("petani", "pedagang", "irt", "guru_pns", "karyawan", "tidak_bekerja", "lainnya"),
    "lansia": ("petani", "irt", "tidak_bekerja", "pedagang"),
}


@dataclass(frozen=True)
class SynthVillage:
    """What the generator needs to know of a village."""

    code: str
    name: str
    kind: str
    population: int
    distance_km: float


def _spelling(village: SynthVillage, rng: random.Random) -> str:
    """The village as people type it: code, 'Ds. Name', 'NAME', 'kel. name'."""
    prefix = "Ds." if village.kind == "desa" else "Kel."
    options = (
        village.code.replace(".", ""),
        f"{prefix} {village.name}",
        village.name.upper(),
        f"{'desa' if village.kind == 'desa' else 'kelurahan'} {village.name.lower()}",
        village.name,
    )
    return rng.choice(options)


def _allocate(villages: Sequence[SynthVillage], total: int, rng: random.Random) -> list[int]:
    """Answers per village: a few with none or very few, the rest by population and chance."""
    order = list(range(len(villages)))
    rng.shuffle(order)
    counts = [0] * len(villages)
    sparse = order[EMPTY_VILLAGES : EMPTY_VILLAGES + SPARSE_VILLAGES]
    for index in sparse:
        counts[index] = rng.randint(1, 3)
    rest = order[EMPTY_VILLAGES + SPARSE_VILLAGES :]
    weights = [villages[i].population * rng.lognormvariate(0, 0.6) for i in rest]
    for index in rng.choices(rest, weights=weights, k=max(total - sum(counts), 0)):
        counts[index] += 1
    return counts


def _pick(rng: random.Random, options: Sequence[str], low: int, high: int) -> list[str]:
    return sorted(set(rng.sample(list(options), k=rng.randint(low, min(high, len(options))))))


def _answers(village: SynthVillage, appetite: float, rng: random.Random) -> dict[str, str]:
    age = rng.choices([c.name for c in AGE_GROUPS], weights=AGE_WEIGHTS)[0]
    occupation = rng.choice(OCCUPATIONS_BY_AGE[age])
    profile = age if age in ("anak", "remaja", "lansia") else occupation
    topics = TOPICS_BY_PROFILE.get(profile, TOPICS_BY_PROFILE["dewasa"])
    keen = rng.random() < appetite
    interest = rng.choice((4, 5, 5)) if keen else rng.choice((1, 2, 3, 3, 4))
    if age in ("anak", "remaja"):
        slots = rng.choice((["sore"], ["siang", "sore"], ["sore"]))
    else:
        slots = rng.choice((["pagi"], ["pagi", "siang"], ["sore"], ["pagi"]))
    days = _pick(rng, [d.name for d in DAYS[:6]], 1, 3)
    if rng.random() < 0.35 and "sabtu" not in days:
        days.append("sabtu")
    return {
        "desa": _spelling(village, rng),
        "usia": age,
        "jenis_kelamin": rng.choice(("L", "P")),
        "pekerjaan": occupation,
        "fm": str(max(0, min(14, round(rng.gauss(5.2, 1.8))))),
        "dm": str(max(0, min(480, round(rng.lognormvariate(4.55, 0.45))))),
        "jb": str(max(0, min(20, round(rng.gammavariate(2.6, 1.5))))),
        "fai": str(max(0, min(7, round(rng.gauss(5.5, 1.8))))),
        "dai": str(max(0, min(720, round(rng.lognormvariate(4.9, 0.5))))),
        "anggota_perpustakaan": rng.choice(("ya", "tidak", "tidak", "tidak")),
        "waktu_tempuh": str(max(5, round(village.distance_km * 4 + rng.gauss(10, 6)))),
        "minat": str(interest),
        "hari": " ".join(days),
        "waktu": " ".join(slots),
        "topik": " ".join(_pick(rng, topics, 1, 3)),
        "kebutuhan_informasi": "",
    }


def _header() -> list[str]:
    columns = ["start", "end"] + [f"{q.group}/{q.name}" for q in QUESTIONS]
    for question, choices in (("hari", DAYS), ("waktu", SLOTS), ("topik", TOPICS)):
        group = next(q.group for q in QUESTIONS if q.name == question)
        columns += [f"{group}/{question}/{c.name}" for c in choices]
    return columns + [SYNTHETIC_NOTE_COLUMN, "_uuid", "_submission_time", "_index"]


def synthesize(villages: Sequence[SynthVillage], respondents: int, seed: int) -> bytes:
    """A reproducible synthetic survey export (CSV, UTF-8) for the given villages."""
    rng = random.Random(seed)
    counts = _allocate(villages, respondents, rng)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_header())
    index = 0
    for village, count in zip(villages, counts, strict=True):
        appetite = min(0.9, max(0.15, 0.35 + 0.04 * village.distance_km + rng.gauss(0, 0.1)))
        for _ in range(count):
            index += 1
            answers = _answers(village, appetite, rng)
            started = SURVEY_START + timedelta(minutes=37 * index + rng.randint(0, 30))
            row = [started.isoformat(), (started + timedelta(minutes=9)).isoformat()]
            row += [answers[q.name] for q in QUESTIONS]
            for question, choices in (("hari", DAYS), ("waktu", SLOTS), ("topik", TOPICS)):
                picked = answers[question].split()
                row += ["1" if c.name in picked else "0" for c in choices]
            token = uuid.UUID(int=rng.getrandbits(128))
            row += [SYNTHETIC_NOTE, str(token), started.isoformat(), str(index)]
            writer.writerow(row)
    return out.getvalue().encode("utf-8")


def villages_from_pack(pack: RegionPack) -> list[SynthVillage]:
    """The pack's villages with their distance from the depot."""
    depot = pack.depot
    return [
        SynthVillage(
            v.code,
            v.name,
            v.kind,
            v.population_estimate,
            haversine_m(depot.lat, depot.lon, v.inside_lat, v.inside_lon) / 1000,
        )
        for v in pack.villages
    ]
