"""The Indonesian catalogue is complete, current and consistent with the source strings."""

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "livinglab" / "translations" / "id" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%%")


def _catalog():
    with open(CATALOG, "rb") as handle:
        return read_po(handle)


def _messages():
    return [m for m in _catalog() if m.id]


def test_every_indonesian_entry_is_translated_and_not_fuzzy():
    problems = []
    for message in _messages():
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(s.strip() for s in strings):
            problems.append(message.id)
    assert problems == []


def test_placeholders_survive_translation():
    for message in _messages():
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(PLACEHOLDER.findall(ids[-1]))
        for translated in strings:
            assert set(PLACEHOLDER.findall(translated)) == expected, message.id


def test_catalogue_covers_every_string_in_the_code(tmp_path):
    """Extract the strings afresh: any new `_()` without an Indonesian entry fails here."""
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l",
         "-k", "lazy_gettext", "--ignore-dirs", ".* __pycache__", "-o", str(pot), "livinglab"],
        cwd=ROOT, check=True, capture_output=True,
    )
    with open(pot, "rb") as handle:
        extracted = {m.id for m in read_po(handle) if m.id}
    translated = {m.id for m in _messages()}
    assert sorted(map(str, extracted - translated)) == []


def test_a_request_translates_once_and_an_email_in_another_language_does_not_leak(app):
    from datetime import UTC, datetime

    from flask import render_template_string

    from livinglab import i18n

    moment = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
    page = "{{ _('Notifications') }} {{ when|datetime }}"
    with app.test_request_context("/", headers={"Cookie": "lang=id"}):
        assert render_template_string(page, when=moment) == "Notifikasi 2 Mar 2026, 08.30"
        with i18n.force_locale("en"):
            assert i18n.gettext("Notifications") == "Notifications"
            assert render_template_string(page, when=moment) == "Notifications Mar 2, 2026, 8:30\u202fAM"
        assert i18n.ngettext("%(num)d piece", "%(num)d pieces", 3) == "3 tulisan"
        assert render_template_string(page, when=moment) == "Notifikasi 2 Mar 2026, 08.30"
