"""How the travel-time sources are named on the settings page and the plan form."""

from flask_babel import lazy_gettext as _l

PROVIDER_LABELS = {
    "estimate": _l("Estimate: straight line × detour factor at each vehicle's speed"),
    "osm": _l("OpenStreetMap road network from an extract you upload"),
    "osrm": _l("An OSRM routing server"),
}
