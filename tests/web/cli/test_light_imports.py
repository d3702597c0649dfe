"""`keliling survey import` and `keliling worker` start without the heavy libraries.

Each of these is tens of MB resident before a single row is read (OR-Tools, pandas, folium,
geopandas, shapely, numpy, openpyxl): a 100,000-row import must stay under 300 MB in total.
"""

import json
import subprocess
import sys

HEAVY = ("ortools", "pandas", "folium", "geopandas", "shapely", "numpy", "openpyxl")

LOADED = """
import json, sys
from web.cli import main
from web.cli.common import make_app
make_app(pages=False)
print(json.dumps(sorted(name for name in {heavy!r} if name in sys.modules)))
"""


def test_cli_and_worker_app_load_no_heavy_library() -> None:
    script = LOADED.format(heavy=HEAVY)
    output = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(output.splitlines()[-1]) == []


def test_only_the_app_without_pages_lacks_them() -> None:
    from web import create_app

    config = {"DATABASE_URL": "sqlite://", "SECRET_KEY": "x" * 32}
    served = {rule.rule for rule in create_app(config).url_map.iter_rules()}
    assert {"/survei/", "/rencana/", "/api/v1/events"} <= served
    bare = {rule.rule for rule in create_app(config, pages=False).url_map.iter_rules()}
    assert bare == {"/static/<path:filename>"}
