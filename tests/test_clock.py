"""The lab's clock: today is read in the configured time zone, Jakarta unless configured otherwise."""

from zoneinfo import ZoneInfo

from flask import has_app_context

import config
from livinglab.clock import lab_timezone, lab_today


def test_today_follows_the_configured_time_zone(app, monkeypatch):
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_TIMEZONE", "Pacific/Kiritimati")  # UTC+14
    east = lab_today()
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_TIMEZONE", "Pacific/Pago_Pago")  # UTC-11
    west = lab_today()
    assert east > west  # 25 hours apart: never the same date


def test_outside_an_app_the_time_zone_comes_from_config():
    assert not has_app_context()
    assert lab_timezone() == ZoneInfo(config.BABEL_DEFAULT_TIMEZONE)
