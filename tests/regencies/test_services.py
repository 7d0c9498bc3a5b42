"""Loading provinces and regencies from content/."""

from pathlib import Path

from sqlalchemy import func, select

from livinglab.extensions import db
from livinglab.regencies.models import Province, Regency, RegencyKind
from livinglab.regencies.services import load_regencies, set_membership


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_loads_38_provinces_and_514_regencies_idempotently(app):
    folder = Path(app.config["CONTENT_DIR"]) / "regencies"
    first = load_regencies(folder)
    db.session.commit()
    assert (_count(Province), _count(Regency)) == (38, 514)
    assert first["created"] == 38 + 514
    kinds = dict(db.session.execute(select(Regency.kind, func.count()).group_by(Regency.kind)).all())
    assert kinds == {RegencyKind.KABUPATEN: 416, RegencyKind.KOTA: 98}
    sumedang = db.session.get(Regency, "3211")
    assert sumedang.name == "Kabupaten Sumedang" and sumedang.code_kemendagri == "32.11"
    set_membership(sumedang, True, "Angkatan 2024")
    db.session.commit()
    second = load_regencies(folder)
    db.session.commit()
    assert second == {"created": 0, "updated": 0, "unchanged": 38 + 514}
    assert db.session.get(Regency, "3211").is_member  # reloading never touches membership


def test_leaving_the_lab_clears_the_cohort(app, make_regency):
    regency = make_regency(cohort="Angkatan 2024")
    set_membership(regency, False, "Angkatan 2024")
    assert not regency.is_member and regency.cohort is None
