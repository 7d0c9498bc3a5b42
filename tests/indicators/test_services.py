"""Frameworks are data: loaded from content/ without code changes."""

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from livinglab.extensions import db
from livinglab.indicators.models import Aspect, Domain, Framework, Indicator, short_indicator_name
from livinglab.indicators.services import FrameworkFileError, load_framework, load_frameworks


def _frameworks_dir(app) -> Path:
    return Path(app.config["CONTENT_DIR"]) / "frameworks"


def test_spbe_2020_has_47_indicators_in_4_domains_and_8_aspects(app):
    load_frameworks(_frameworks_dir(app))
    db.session.commit()
    spbe = db.session.scalars(select(Framework).filter_by(code="spbe-2020")).one()
    assert spbe.is_default and not spbe.is_provisional
    assert (len(spbe.indicators), len(spbe.domains), len(spbe.aspects)) == (47, 4, 8)
    assert sum(i.weight_percent for i in spbe.indicators) == Decimal(100)
    assert [d.weight_percent for d in spbe.domains] == [Decimal("13"), Decimal("25"), Decimal("16.5"), Decimal("45.5")]
    assert [len(a.indicators) for a in spbe.aspects] == [10, 4, 4, 2, 8, 3, 10, 6]
    assert [b.name_id for b in spbe.bands] == ["Memuaskan", "Sangat Baik", "Baik", "Cukup", "Kurang"]
    assert next(lvl.name_id for lvl in spbe.levels) == "Rintisan"
    assert all(i.description_id and i.description_en for i in spbe.indicators)


def test_reported_2026_framework_is_provisional_without_domains(app):
    load_frameworks(_frameworks_dir(app))
    pemdi = db.session.scalars(select(Framework).filter_by(code="pemdi-2026")).one()
    assert pemdi.is_provisional and not pemdi.is_default
    assert (len(pemdi.indicators), len(pemdi.aspects), len(pemdi.domains)) == (20, 7, 0)
    assert sum(i.weight_percent for i in pemdi.indicators) == Decimal(100)
    assert pemdi.aspects[0].name_en == "Governance and management"


def test_loading_twice_changes_nothing(app):
    load_frameworks(_frameworks_dir(app))
    db.session.commit()
    counts = {m: db.session.scalar(select(func.count()).select_from(m)) for m in (Framework, Domain, Aspect, Indicator)}
    second = load_frameworks(_frameworks_dir(app))
    db.session.commit()
    assert second["spbe-2020"] == {"created": 0, "updated": 0, "unchanged": 47}
    assert counts == {m: db.session.scalar(select(func.count()).select_from(m)) for m in counts}


def test_a_new_framework_is_a_folder_of_files(app, tmp_path):
    folder = tmp_path / "toy-2030"
    folder.mkdir()
    (folder / "framework.toml").write_text(
        'code = "toy-2030"\nname_id = "Mainan"\nname_en = "Toy"\nregulation = "Permen 1/2030"\n'
        'first_year = 2030\nindicators = "indicators.csv"\n\n'
        '[[bands]]\nmin_index = 0\nname_id = "Ada"\nname_en = "Some"\n'
    )
    (folder / "indicators.csv").write_text(
        "code,aspect,aspect_name_id,number,name_id,name_en,weight_percent\n"
        "T01,1,Satu,1,Indikator satu,Indicator one,60\nT02,1,Satu,2,Indikator dua,Indicator two,40\n"
    )
    framework, counts = load_framework(folder)
    db.session.commit()
    assert counts["created"] == 2
    assert framework.aspects[0].weight_percent == Decimal(100)
    (folder / "indicators.csv").write_text(
        "code,aspect,aspect_name_id,number,name_id,name_en,weight_percent\n"
        "T01,1,Satu,1,Indikator satu (revisi),Indicator one,60\nT02,1,Satu,2,Indikator dua,Indicator two,40\n"
    )
    assert load_framework(folder)[1] == {"created": 0, "updated": 1, "unchanged": 1}


def test_a_folder_without_framework_file_is_refused(tmp_path, app):
    with pytest.raises(FrameworkFileError):
        load_framework(tmp_path)


def test_short_names_drop_only_the_words_every_spbe_2020_name_shares():
    assert (
        short_indicator_name("Tingkat Kematangan Kebijakan Internal Arsitektur SPBE Instansi Pusat/Pemerintah Daerah")
        == "Kebijakan Internal Arsitektur SPBE"
    )
    assert short_indicator_name("Tingkat Kematangan Layanan Publik Sektor 1") == "Layanan Publik Sektor 1"
    assert short_indicator_name("Kebijakan tata kelola data") == "Kebijakan tata kelola data"
    assert short_indicator_name("Tingkat Kematangan ") == "Tingkat Kematangan "
