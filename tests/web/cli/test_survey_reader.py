"""`keliling survey import` on damaged and real-shaped exports: one clear line, no traceback."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from web.cli import main

CORPUS = Path(__file__).parents[2] / "planner" / "survey" / "corpus"


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("SECRET_KEY", "cli-test-secret-key-0123456789")
    monkeypatch.setenv("KELILING_INSTANCE_PATH", str(tmp_path))
    runner = CliRunner()
    assert runner.invoke(main, ["init"]).exit_code == 0
    return runner


@pytest.mark.parametrize(
    ("name", "words"),
    [
        (
            "corrupt_deflate.xlsx",
            "berkas XLSX rusak atau tidak dapat dibaca (data terkompresinya rusak)",
        ),
        (
            "bad_sheet_xml.xlsx",
            "berkas XLSX rusak atau tidak dapat dibaca (XML salah satu lembar rusak)",
        ),
        ("blank_lines.csv", "berkas tidak memiliki baris judul"),
        ("unclosed_quote_last_row.csv", "baris 7, kolom kebutuhan_informasi: tanda kutip"),
        ("formula_without_value.xlsx", "baris 3, kolom waktu_tempuh: rumus tanpa nilai"),
    ],
)
def test_broken_exports_are_refused_in_one_message(
    runner: CliRunner, name: str, words: str
) -> None:
    result = runner.invoke(main, ["survey", "import", str(CORPUS / name)])
    assert result.exit_code == 1
    assert words in result.output
    assert "Traceback" not in result.output


def test_a_kobo_workbook_with_slashed_choice_labels_imports(runner: CliRunner) -> None:
    result = runner.invoke(main, ["survey", "import", str(CORPUS / "kobo_labels_id.xlsx")])
    assert result.exit_code == 0, result.output
    assert "Impor berhasil: 6 responden baru disimpan" in result.output
