"""WTForms validators and messages shared by every feature's forms."""

from flask_babel import lazy_gettext as _l
from wtforms.validators import DataRequired, Email, Length

# WTForms ships no Indonesian catalogue, so every validator gets a message of ours.
INVALID_CHOICE = _l("Please choose one of the options in the list.")
DATE_MESSAGE = _l("Please enter a date as YYYY-MM-DD.")


def required() -> DataRequired:
    return DataRequired(message=_l("This field is required."))


def length(minimum: int = -1, maximum: int = -1) -> Length:
    return Length(min=minimum, max=maximum, message=_l("Use between %(min)d and %(max)d characters."))


def valid_email() -> Email:
    return Email(message=_l("Please enter a valid e-mail address, e.g. nama@kabupaten.go.id."))
