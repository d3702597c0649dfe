"""Expected attendance per visit, explained as a waterfall of factors (people per visit)."""

from dataclasses import dataclass

from planner.demand.inputs import DemandParams, VillageInfo
from planner.demand.results import CitySummary, Factor
from planner.demand.results import format_number as num
from planner.demand.results import format_percent as pct
from planner.demand.stats import update_attendance

KIND = "attendance"


@dataclass(frozen=True)
class VillageEvidence:
    """What the survey and the visit log say about one village."""

    village: VillageInfo
    respondents: int
    interested: int
    raw_interest_rate: float | None
    interest_rate: float
    tgm_mean: float | None
    travel_minutes_mean: float | None
    observed: tuple[int, ...]


@dataclass(frozen=True)
class AttendanceEstimate:
    """Model and blended attendance per visit, with factors whose contributions sum to it."""

    model_attendance: float
    expected_attendance: float
    factors: tuple[Factor, ...]


def distance_share(distance_km: float, params: DemandParams) -> float:
    """How far along the access gap a village is: distance / access_full_km, at most 1."""
    return min(distance_km / params.access_full_km, 1.0)


def tgm_factor(village_tgm: float | None, city_tgm: float | None, params: DemandParams) -> float:
    """Village TGM relative to the city, clamped to tgm_factor_bounds (1.0 without data)."""
    if village_tgm is None or city_tgm is None or city_tgm <= 0:
        return 1.0
    low, high = params.tgm_factor_bounds
    return min(max(village_tgm / city_tgm, low), high)


def estimate_attendance(
    evidence: VillageEvidence, city: CitySummary, params: DemandParams
) -> AttendanceEstimate:
    """Population × reach × interest × access × TGM, capped, then blended with logged visits."""
    village = evidence.village
    cap = float(params.capacity_per_visit)
    base = village.population * params.visit_reach
    share = distance_share(village.distance_km, params)
    access = 1.0 + params.access_weight * share
    reading = tgm_factor(evidence.tgm_mean, city.tgm_mean, params)
    after_interest = base * evidence.interest_rate
    after_access = after_interest * access
    raw_model = after_access * reading
    model = min(raw_model, cap)
    blended = update_attendance(model, evidence.observed, params.observation_prior_visits)
    expected = min(blended, cap)
    factors = (
        _population_factor(village, params, base),
        _interest_factor(evidence, city, params, after_interest - base),
        _access_factor(village, params, share, access, after_access - after_interest),
        _tgm_factor(evidence, city, params, reading, raw_model - after_access),
        _capacity_factor(params, raw_model, model - raw_model),
        _observation_factor(evidence, params, model, blended, expected - model),
    )
    return AttendanceEstimate(model, expected, factors)


def _population_factor(village: VillageInfo, params: DemandParams, base: float) -> Factor:
    note = (
        f"{num(village.population, 0)} jiwa × {pct(params.visit_reach, 1)} terjangkau per "
        f"kunjungan = {num(base)} orang bila semua warga berminat"
    )
    label = "Penduduk × jangkauan per kunjungan"
    return Factor("population", label, village.population, params.visit_reach, base, note, KIND)


def _interest_factor(
    evidence: VillageEvidence, city: CitySummary, params: DemandParams, delta: float
) -> Factor:
    rate = evidence.interest_rate
    if evidence.raw_interest_rate is None:
        note = f"Belum ada responden di desa ini; memakai angka kota {pct(rate)}"
    else:
        note = (
            f"{evidence.interested} dari {evidence.respondents} responden berminat "
            f"(skor ≥ {params.interest_threshold}) = {pct(evidence.raw_interest_rate)}; "
            f"ditarik ke angka kota {pct(city.interest_rate)} dengan bobot setara "
            f"{num(city.kappa_used)} jawaban → {pct(rate)}"
        )
    return Factor("interest_rate", "Minat warga", rate, 1.0, delta, note, KIND)


def _access_factor(
    village: VillageInfo, params: DemandParams, share: float, access: float, delta: float
) -> Factor:
    note = (
        f"Jarak {num(village.distance_km)} km ÷ {num(params.access_full_km)} km (maks. 1) = "
        f"{num(share, 2)}; faktor 1 + {num(params.access_weight, 2)} × {num(share, 2)} = "
        f"{num(access, 2)}"
    )
    label = "Jarak dari perpustakaan"
    return Factor("access_factor", label, share, params.access_weight, delta, note, KIND)


def _tgm_factor(
    evidence: VillageEvidence, city: CitySummary, params: DemandParams, factor: float, delta: float
) -> Factor:
    if evidence.tgm_mean is None or city.tgm_mean is None or city.tgm_mean <= 0:
        note = "Belum ada data TGM desa; faktor 1"
    else:
        low, high = params.tgm_factor_bounds
        note = (
            f"TGM desa {num(evidence.tgm_mean)} ÷ TGM kota {num(city.tgm_mean)} = "
            f"{num(evidence.tgm_mean / city.tgm_mean, 2)}, dibatasi {num(low, 2)}–"
            f"{num(high, 2)} → faktor {num(factor, 2)}"
        )
    return Factor("tgm_factor", "Kebiasaan membaca (TGM)", factor, 1.0, delta, note, KIND)


def _capacity_factor(params: DemandParams, raw_model: float, delta: float) -> Factor:
    cap = params.capacity_per_visit
    if delta < 0:
        note = f"Perkiraan {num(raw_model)} orang melebihi kapasitas {cap} orang; dipangkas"
    else:
        note = f"Di bawah kapasitas {cap} orang per kunjungan"
    return Factor("capacity", "Kapasitas per kunjungan", cap, 1.0, delta, note, KIND)


def _observation_factor(
    evidence: VillageEvidence, params: DemandParams, model: float, blended: float, delta: float
) -> Factor:
    visits = len(evidence.observed)
    prior = params.observation_prior_visits
    mean = sum(evidence.observed) / visits if visits else 0.0
    if not visits:
        note = "Belum ada kunjungan tercatat; memakai perkiraan model"
    else:
        note = (
            f"Rata-rata {num(mean)} orang dari {visits} kunjungan tercatat; model dihitung "
            f"setara {num(prior)} kunjungan: ({num(prior)} × {num(model)} + "
            f"{sum(evidence.observed)}) ÷ ({num(prior)} + {visits}) = {num(blended)}"
        )
        if blended > params.capacity_per_visit:
            note += f", dipangkas ke kapasitas {params.capacity_per_visit}"
    return Factor("observations", "Kehadiran tercatat", mean, prior, delta, note, KIND)
