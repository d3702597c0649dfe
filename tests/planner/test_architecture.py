"""Dependencies point one way: web -> planner -> geodata; only the solver imports ortools."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imported_modules(package: str) -> dict[Path, set[str]]:
    found: dict[Path, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[path] = names
    return found


def test_planner_source_never_imports_flask_or_web() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(names & {"flask", "flask_login", "flask_babel", "web"})
        for path, names in _imported_modules("planner").items()
        if names & {"flask", "flask_login", "flask_babel", "web"}
    }
    assert offenders == {}


def test_importing_every_planner_module_loads_no_flask() -> None:
    modules = ["planner." + p.stem for p in (ROOT / "planner").glob("*.py") if p.stem != "__init__"]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'web')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "[]"


def test_geodata_imports_neither_planner_nor_web() -> None:
    for path, names in _imported_modules("geodata").items():
        assert not names & {"planner", "web", "flask"}, path


def test_only_the_solver_module_imports_ortools() -> None:
    importers = {
        path.relative_to(ROOT).as_posix()
        for package in ("planner", "web", "geodata")
        for path, names in _imported_modules(package).items()
        if "ortools" in names
    }
    assert importers <= {"planner/solver.py"}
