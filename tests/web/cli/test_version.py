"""`keliling --version` names the installed release."""

from importlib.metadata import version

from click.testing import CliRunner

from web.cli import main


def test_version_prints_the_installed_release() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"keliling {version('keliling')}\n"
    assert version("keliling") == "0.1.0"
