"""Helpers for rendering forms: the hidden fields, and the list of problems an error summary links to."""

from collections.abc import Iterator

from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import Field
from wtforms.widgets import HiddenInput


def hidden_fields(form: FlaskForm, *names: str) -> Markup:
    """The form's hidden fields (its CSRF token too), or only those named, without ids: several forms then
    share a page with no duplicate id (`hidden_tag()` gives every CSRF field id="csrf_token")."""
    return Markup("\n").join(field(id=False) for field in form  # widgets return escaped Markup
                              if isinstance(field.widget, HiddenInput) and (not names or field.name in names))


def error_items(form: FlaskForm) -> list[tuple[str | None, str, str]]:
    """(field id, label, message) for every problem, in page order; form-wide problems have no id."""
    items = [(field.id, field.label.text, str(message)) for field in _fields(form) for message in field.errors]
    return items + [(None, "", str(message)) for message in form.form_errors]


def _fields(form) -> Iterator[Field]:
    """Every field, with the fields inside field lists and sub-forms."""
    for field in form:
        if field.type == "FieldList":
            for entry in field.entries:
                yield from (_fields(entry.form) if entry.type == "FormField" else [entry])
        elif field.type == "FormField":
            yield from _fields(field.form)
        elif field.type not in ("CSRFTokenField", "HiddenField"):
            yield field
