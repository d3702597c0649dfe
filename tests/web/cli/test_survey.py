"""`keliling survey ...` as a coordinator runs it: exit codes, messages, database unchanged."""

from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pyxform.xls2xform import convert
from sqlmodel import Session, func, select

from planner.store import SurveyResponse, make_engine
from tests.factories import SURVEY_HEADER, SURVEY_ROWS, survey_csv
from web.cli import main


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("SECRET_KEY", "cli-test-secret-key-0123456789")
    monkeypatch.setenv("KELILING_INSTANCE_PATH", str(tmp_path))
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(main, list(args), catch_exceptions=False)

    invoke("init")
    return invoke


def _responses(tmp_path: Path) -> int:
    engine = make_engine(f"sqlite:///{tmp_path / 'cli.db'}")
    with Session(engine) as session:
        count = session.exec(select(func.count()).select_from(SurveyResponse)).one()
    engine.dispose()
    return count


def test_xlsform_template_converts_with_pyxform(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "form.xlsx"
    assert run("survey", "template", "--format", "xlsform", "--out", str(out)).exit_code == 0
    warnings: list[str] = []
    result = convert(xlsform=str(out), warnings=warnings)
    assert "<h:title>Survei Kebutuhan Informasi Masyarakat — Kota Banjar</h:title>" in result.xform
    assert result.xform.count("<name>3279") == 25  # one choice per village
    assert "Balokang" in result.xform and 'ref="/data/layanan/minat"' in (result.xform)
    assert warnings == []


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_blank_sheet_imports_once_filled_in(run, tmp_path: Path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / f"blank.{fmt}"
    assert run("survey", "template", "--format", fmt, "--out", str(out)).exit_code == 0
    if fmt == "csv":
        header = out.read_text().strip().split(",")
        filled = tmp_path / "filled.csv"
        row = dict.fromkeys(header, "")
        row.update(zip(("desa", "usia", "jenis_kelamin", "pekerjaan", "fm", "dm", "jb", "fai",
                        "dai", "anggota_perpustakaan", "waktu_tempuh", "minat"),
                       SURVEY_ROWS[0][:12], strict=True))  # fmt: skip
        filled.write_text(",".join(header) + "\n" + ",".join(row[h] for h in header) + "\n")
        assert run("survey", "import", str(filled)).exit_code == 0
        assert _responses(tmp_path) == 1


def test_synth_then_import_then_reimport(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "synthetic.csv"
    assert (
        "SINTETIS"
        in run("survey", "synth", "--respondents", "120", "--seed", "3", "--out", str(out)).output
    )
    dry = run("survey", "import", str(out), "--dry-run")
    assert dry.exit_code == 0 and "Tidak ada yang disimpan" in dry.output
    assert _responses(tmp_path) == 0
    first = run("survey", "import", str(out))
    assert "120 responden baru" in first.output and "SINTETIS" in first.output
    second = run("survey", "import", str(out))
    assert second.exit_code == 0 and "sudah pernah diimpor" in second.output
    assert _responses(tmp_path) == 120
    assert "[SINTETIS]" in run("survey", "batches").output


def test_overlapping_file_without_ids_asks_then_adds(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A second enumerator's file with the same answers: nothing stored until --overlap says."""
    first, second = tmp_path / "ani.csv", tmp_path / "budi.csv"
    first.write_text(survey_csv(SURVEY_ROWS[:2]))
    second.write_text(survey_csv([SURVEY_ROWS[1], SURVEY_ROWS[0]]))
    run("survey", "import", str(first))
    asked = run("survey", "import", str(second))
    assert asked.exit_code == 1 and "--overlap add" in asked.output
    assert "2 dari 2 responden" in asked.output and _responses(tmp_path) == 2
    added = run("survey", "import", str(second), "--overlap", "add")
    assert added.exit_code == 0 and "2 responden baru" in added.output
    assert _responses(tmp_path) == 4


def test_an_edited_submission_is_reported_as_updated(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """ODK Central: the same KEY with a new meta-instanceID replaces the stored answers."""
    header = (*SURVEY_HEADER, "meta-instanceID", "KEY")
    edited = [*SURVEY_ROWS[0][:11], "1", *SURVEY_ROWS[0][12:]]
    first, second = tmp_path / "odk-1.csv", tmp_path / "odk-2.csv"
    first.write_text(survey_csv([[*SURVEY_ROWS[0], "uuid:k1", "uuid:k1"]], header))
    second.write_text(survey_csv([[*edited, "uuid:k2", "uuid:k1"]], header))
    run("survey", "import", str(first))
    result = run("survey", "import", str(second))
    assert result.exit_code == 0
    assert "menggantikan versi sebelumnya: 1" in result.output
    assert "(1 diperbarui)" in run("survey", "batches").output
    assert _responses(tmp_path) == 1


MISSING_COLUMN = survey_csv(header=["desa", "usia"], rows=[["Balokang", "dewasa"]])
UNKNOWN_VILLAGE = survey_csv([["Desa Atlantis", *SURVEY_ROWS[0][1:]]])
NON_NUMERIC = survey_csv([[*SURVEY_ROWS[0][:4], "lima", *SURVEY_ROWS[0][5:]]])


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (MISSING_COLUMN.encode(), "baris 1, kolom fm"),
        (UNKNOWN_VILLAGE.encode(), "baris 2, kolom desa: 'Desa Atlantis' tidak dikenal"),
        (NON_NUMERIC.encode(), "baris 2, kolom fm: 'lima' bukan angka"),
        (b"", "berkas kosong"),
        (survey_csv(rows=[]).encode(), "hanya berisi baris judul"),
        (bytes(range(256)) * 10, "bukan teks CSV"),
    ],
    ids=[
        "missing column",
        "unknown village",
        "non-numeric",
        "empty",
        "header only",
        "random bytes",
    ],
)
def test_broken_files_exit_1_and_change_nothing(  # type: ignore[no-untyped-def]
    run, tmp_path: Path, content: bytes, expected: str
) -> None:
    good = tmp_path / "good.csv"
    good.write_text(survey_csv())
    run("survey", "import", str(good))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    result = run("survey", "import", str(bad))
    assert result.exit_code == 1
    assert expected in result.output
    assert "Traceback" not in result.output
    assert _responses(tmp_path) == 3


REQUIRED_DEMAND_KEYS = {
    "code",
    "respondents",
    "interest_rate",
    "tgm_mean",
    "expected_attendance",
    "priority",
    "visits_per_rotation",
    "preferred_windows",
    "topics",
}


def test_demand_after_the_synthetic_survey(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import json

    out = tmp_path / "synthetic.csv"
    run("survey", "synth", "--respondents", "600", "--seed", "2025", "--out", str(out))
    run("survey", "import", str(out))
    report = json.loads(run("demand", "--format", "json").output)
    villages = report["villages"]
    assert len(villages) == 25
    assert all(set(v) >= REQUIRED_DEMAND_KEYS for v in villages)
    city_rate = report["city"]["interest_rate"]
    sparse = [v for v in villages if v["respondents"] <= 3]
    assert sparse, "the synthetic survey leaves some villages with few answers"
    assert all(abs(v["interest_rate"] - city_rate) <= 0.10 for v in sparse)
    assert all(1 <= v["visits_per_rotation"] <= 3 for v in villages)
    two_weeks = json.loads(run("demand", "--weeks", "2").output)["villages"]
    assert [v["visits_per_rotation"] for v in two_weeks] == [
        2 * v["visits_per_rotation"] for v in villages
    ]
    lines = run("demand", "--format", "csv").output.splitlines()
    assert len(lines) == 26
    assert lines[0].startswith("code,name,population,respondents,interested")
