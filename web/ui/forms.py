"""The shared form kit: choices from labels, a text per weekday, checkboxes, field problems."""

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Form, FormField, SelectChoice, SelectMultipleField, StringField
from wtforms.widgets import CheckboxInput, ListWidget

VEHICLE_KIND_LABELS = {"van": _l("Van (bookmobile)"), "motor": _l("Motorbike library")}


def choices(labels: Mapping[str, Any]) -> list[SelectChoice]:
    """Options for a select or checkbox list from value -> label."""
    return [SelectChoice(value, label) for value, label in labels.items()]


class WeekTexts(Form):  # type: ignore[misc]  # wtforms is untyped
    """One text input per weekday (windows of a stop, shifts of a vehicle)."""

    mon = StringField(_l("Monday"))
    tue = StringField(_l("Tuesday"))
    wed = StringField(_l("Wednesday"))
    thu = StringField(_l("Thursday"))
    fri = StringField(_l("Friday"))
    sat = StringField(_l("Saturday"))
    sun = StringField(_l("Sunday"))


class CheckboxesField(SelectMultipleField):  # type: ignore[misc]  # wtforms is untyped
    """Several choices as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class StatusForm(FlaskForm):  # type: ignore[misc]  # flask_wtf is untyped
    """Only the CSRF token: the deactivate/activate buttons."""


def attach_problems(form: FlaskForm, problems: Mapping[str, str]) -> dict[str, str]:
    """Put each problem under its field ('windows-mon', 'breaks-0-times', ...).

    Returns the problems about a whole group of fields (e.g. 'windows') to show above it.
    """
    groups = {}
    for key, message in problems.items():
        target: Any = form
        for part in key.split("-"):
            target = target[int(part)] if part.isdigit() else target[part]
        if isinstance(target, FormField):
            groups[key] = message
        else:
            target.errors = [*target.errors, message]
    return groups
