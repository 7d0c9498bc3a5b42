"""Language choice and locale-aware formatting for templates."""

import functools
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask import Flask, current_app, has_app_context, has_request_context, request
from flask_babel import (
    force_locale as babel_force_locale,
    format_date,
    format_datetime,
    format_decimal,
    format_percent,
    format_time,
    get_locale,
    get_timezone,
    get_translations,
)
from flask_login import current_user

from livinglab import requestlocal
from livinglab.clock import as_utc

LANGUAGE_COOKIE = "lang"
VISITOR_CHOICE = "visitor_language"  # session key: the language a visitor picked before signing in


def select_locale() -> str:
    """The signed-in user's language, else the visitor's cookie, else Indonesian."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    cookie = request.cookies.get(LANGUAGE_COOKIE)
    return cookie if cookie in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def current_language() -> str:
    """The two-letter code of the language the page is rendered in."""
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])[:2]


def localized(obj: Any, field: str) -> str:
    """The `<field>_<lang>` attribute for the current language, falling back to Indonesian."""
    value = getattr(obj, f"{field}_{current_language()}", None)
    return value or getattr(obj, f"{field}_id")


def filesize(size: int) -> str:
    """A file size in kB or MB, with the locale's decimal mark."""
    if size < 1024 * 1024:
        return f"{format_decimal(max(1, round(size / 1024)))} kB"
    return f"{format_decimal(round(size / (1024 * 1024), 1))} MB"


def moment(value, fmt: str = "medium") -> str:
    """A date and time in the user's time zone; "medium" is the medium date with the short time (no seconds)."""
    if not value:
        return ""
    locale, zone, _translations = _in_force()
    return _formatted("moment", value, fmt, locale, zone)


def local_date(value, fmt: str = "long") -> str:
    """A date (or the date of a moment in the user's time zone) in the user's language."""
    if not value:
        return ""
    locale, zone, _translations = _in_force()
    return _formatted("date", value, fmt, locale, zone)


@functools.lru_cache(maxsize=8192)
def _formatted(kind: str, value, fmt: str, _locale: str, _zone: str) -> str:
    """Babel's formatting, remembered: a function of the value, the format, and the locale and time zone in force
    (which Flask-Babel reads from the request, and which are part of the key). Lists format the same dates on
    every view, and Babel's formatting is most of what a long list costs."""
    if kind == "date":
        return format_date(value, fmt)
    if fmt == "medium":
        return f"{format_date(value, 'medium')}, {format_time(value, 'short')}"
    return format_datetime(value, fmt)


def machine_time(value: date | datetime | None) -> str:
    """A date, or a moment in UTC to the second, for `<time datetime>`: HTML allows at most three decimals
    of a second, and nobody needs them there. Naive values are UTC, as the app stores them."""
    if value is None:
        return ""
    if not isinstance(value, datetime):
        return value.isoformat()
    return as_utc(value).astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def score(value, signed: bool = False) -> str:
    """An index, a mean level or a change in level: two decimals with the locale's mark ("3,55" in
    Indonesian), a sign on changes ("+0,81")."""
    if value is None:
        return ""
    # Half up at two decimals, as KemenPANRB publishes indices: the predicate is read from this same value.
    value = float(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)) + 0.0  # no "-0,00"
    return format_decimal(value, "+#,##0.00;-#,##0.00" if signed else "#,##0.00")


_IN_FORCE = "_language_in_force"  # (locale, time zone, translations) found once per request


def _in_force() -> tuple[str, str, object]:
    """The locale, time zone and Flask-Babel translations of this request, found once: templates translate and
    format dozens of strings a page, and Flask-Babel looks each of them up anew."""
    memo = requestlocal.found()
    found = memo.get(_IN_FORCE)
    if found is None:
        found = memo[_IN_FORCE] = (str(get_locale()), str(get_timezone()), get_translations())
    return found


def current_translations():
    return _in_force()[2] if has_app_context() else get_translations()


def gettext(string: str, **variables) -> str:
    """Flask-Babel's `gettext`, with the translations found once per request (for code that translates in loops)."""
    text = current_translations().ugettext(string)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    """Flask-Babel's `ngettext`, with the translations found once per request."""
    variables.setdefault("num", num)
    return current_translations().ungettext(singular, plural, num) % variables


@contextmanager
def force_locale(locale: str):
    """Flask-Babel's `force_locale` (an e-mail in the recipient's language), forgetting what this request found."""
    with babel_force_locale(locale):
        memo = requestlocal.found() if has_app_context() else {}
        memo.pop(_IN_FORCE, None)
        try:
            yield
        finally:
            memo.pop(_IN_FORCE, None)


def init_templates(app: Flask) -> None:
    """Expose the language helpers and locale-aware number and date filters to templates."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda string: current_translations().ugettext(string),
        ngettext=lambda singular, plural, num: current_translations().ungettext(singular, plural, num),
        pgettext=lambda context, string: current_translations().upgettext(context, string),
        npgettext=lambda context, singular, plural, num: current_translations().unpgettext(context, singular,
                                                                                           plural, num),
        newstyle=True,
    )
    app.jinja_env.globals.update(localized=localized, current_language=current_language, filesize=filesize)
    app.jinja_env.filters.update(
        date=local_date,
        datetime=moment,
        machine_time=machine_time,
        number=lambda value, fmt=None: format_decimal(value, fmt) if value is not None else "",
        score=score,
        percent=lambda value: format_percent(value) if value is not None else "",
    )
