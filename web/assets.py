"""Third-party JS/CSS served by the app itself (from xstatic packages), never from a CDN."""

import xstatic.pkg.leaflet as xs_leaflet
from flask import Blueprint

bp = Blueprint(
    "vendor_leaflet",
    __name__,
    static_folder=xs_leaflet.BASE_DIR,
    static_url_path="/static/vendor/leaflet",
)
LEAFLET_VERSION = xs_leaflet.VERSION
