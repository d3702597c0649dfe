"""Every third-party package the code imports is declared, and pinned, in pyproject.toml.

A package that only arrives as another one's dependency can vanish or jump a major version when
that one is upgraded; a server installed from the wheel must get exactly what was tested.
"""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions, version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("planner", "web", "geodata")
REQUIREMENT = re.compile(r"^(?P<name>[A-Za-z0-9._-]+)(?:\[[^\]]*\])?==(?P<version>[^;\s]+)$")


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> dict[str, str]:
    """Distribution name -> pinned version, from [project] dependencies."""
    with (ROOT / "pyproject.toml").open("rb") as file:
        dependencies = tomllib.load(file)["project"]["dependencies"]
    pins = {}
    for line in dependencies:
        match = REQUIREMENT.match(line)
        assert match, f"{line!r} is not pinned with =="
        pins[_normalise(match["name"])] = match["version"]
    return pins


def _imported() -> dict[str, str]:
    """Top-level name of every absolute import in the packages -> one file importing it."""
    found: dict[str, str] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules = [node.module]
                else:
                    continue
                for module in modules:
                    found.setdefault(module.split(".")[0], str(path.relative_to(ROOT)))
    return found


def _third_party() -> dict[str, str]:
    return {
        name: where
        for name, where in _imported().items()
        if name not in sys.stdlib_module_names and name not in PACKAGES
    }


def test_the_scan_sees_the_imports_the_issue_named() -> None:
    imported = _third_party()
    expected = {"wtforms", "werkzeug", "babel", "pydantic", "numpy", "itsdangerous", "branca"}
    assert expected | {"markupsafe", "flask", "flask_limiter"} <= set(imported)


def test_every_imported_package_is_declared_in_pyproject() -> None:
    declared = _declared()
    distributions = packages_distributions()
    missing = []
    for name, where in sorted(_third_party().items()):
        candidates = {_normalise(d) for d in distributions.get(name, [name])}
        if not candidates & set(declared):
            missing.append(f"{name} (imported in {where}; distribution {sorted(candidates)})")
    assert missing == []


def test_the_pins_are_the_versions_installed_and_tested() -> None:
    installed = {name: version(name) for name in _declared()}
    assert installed == _declared()
