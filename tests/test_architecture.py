"""Dependencies point one way: web -> planner -> geodata, checked in every module at any depth.

Also: only the routing solver imports ortools; the pure rooms (routing, travel, the demand model)
never import sqlmodel; web blueprints never import each other.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SKIPPED = ("migrations",)  # Alembic scripts are loaded by path, not imported as modules
WEB_FRAMEWORK = {"flask", "flask_login", "flask_babel", "flask_wtf", "web"}
PURE_ROOMS = ("planner/routing", "planner/travel", "planner/demand")
IMPURE_MODULES = {  # the demand room's readers and writers of the database
    "planner/demand/store.py",
    "planner/demand/aggregates.py",
}
# Each blueprint package or module; the app-level modules (web/*.py) and ui/ are shared.
BLUEPRINTS = ("web.views", "web.plans", "web.driver", "web.api", "web.cli")


def _modules(package: str) -> list[Path]:
    return [
        path
        for path in sorted((ROOT / package).rglob("*.py"))
        if not any(part in SKIPPED for part in path.relative_to(ROOT).parts)
    ]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every module path this file imports, absolute (relative imports resolved)."""
    names: set[str] = set()
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package.pop()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def _top_levels(path: Path) -> set[str]:
    return {name.split(".")[0] for name in _imports(path)}


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_every_subpackage_is_walked() -> None:
    walked = {_relative(path.parent) for path in _modules("planner")}
    assert {"planner/survey", "planner/routing", "planner/store", "planner/core"} <= walked


def test_planner_never_imports_flask_or_web() -> None:
    offenders = {
        _relative(path): sorted(_top_levels(path) & WEB_FRAMEWORK)
        for path in _modules("planner")
        if _top_levels(path) & WEB_FRAMEWORK
    }
    assert offenders == {}


def test_importing_every_planner_module_loads_no_flask() -> None:
    modules = [_module_name(path) for path in _modules("planner")]
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
    offenders = {
        _relative(path): sorted(_top_levels(path) & {"planner", "web", "flask"})
        for path in _modules("geodata")
        if _top_levels(path) & {"planner", "web", "flask"}
    }
    assert offenders == {}


def test_only_the_routing_solver_imports_ortools() -> None:
    outside_the_solver = {
        _relative(path)
        for package in ("planner", "web", "geodata")
        for path in _modules(package)
        if "ortools" in _top_levels(path)
        and not _relative(path).startswith("planner/routing/solver/")
    }
    assert outside_the_solver == set()


@pytest.mark.parametrize("room", PURE_ROOMS)
def test_pure_rooms_never_import_sqlmodel_or_sqlalchemy(room: str) -> None:
    offenders = {
        _relative(path)
        for path in _modules(room)
        if _relative(path) not in IMPURE_MODULES
        and _top_levels(path) & {"sqlmodel", "sqlalchemy", "alembic"}
    }
    assert offenders == set()


def test_pure_rooms_never_import_the_store() -> None:
    offenders = {
        _relative(path): sorted(n for n in _imports(path) if n.startswith("planner.store"))
        for room in PURE_ROOMS
        for path in _modules(room)
        if _relative(path) not in IMPURE_MODULES
        and any(n.startswith("planner.store") for n in _imports(path))
    }
    assert offenders == {}


def _blueprint_of(name: str) -> str | None:
    for blueprint in BLUEPRINTS:
        if name == blueprint or name.startswith(blueprint + "."):
            if blueprint == "web.views":  # each module of views/ is a blueprint of its own
                return ".".join(name.split(".")[:3])
            return blueprint
    return None


def test_blueprints_never_import_each_other() -> None:
    offenders: dict[str, list[str]] = {}
    for path in _modules("web"):
        own = _blueprint_of(_module_name(path))
        if own is None or own == "web.cli":  # the CLI may build on any part of the app
            continue
        foreign = sorted(n for n in _imports(path) if _blueprint_of(n) not in (None, own))
        if foreign:
            offenders[_relative(path)] = foreign
    assert offenders == {}


def test_planner_rooms_are_entered_by_their_front_door() -> None:
    """Code outside a room imports the room's package, not its inner modules."""
    offenders: dict[str, list[str]] = {}
    for package in ("planner", "web"):
        for path in _modules(package):
            name = _module_name(path)
            own_room = ".".join(name.split(".")[:2])
            inner = sorted(
                imported
                for imported in _imports(path)
                if imported.startswith("planner.")
                and imported.count(".") >= 2
                and ".".join(imported.split(".")[:2]) != own_room
                and _is_module(imported)
            )
            if inner:
                offenders[_relative(path)] = inner
    assert offenders == {}


def _is_module(dotted: str) -> bool:
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").exists() and path.name != "__init__"
