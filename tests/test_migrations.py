"""Migrations build the schema from empty, and agree with the models."""


import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from livinglab import create_app
from livinglab.extensions import db
from tests.conftest import fresh_database, test_config


@pytest.fixture
def empty_database_url(tmp_path):
    with fresh_database(tmp_path, "livinglab_migrations") as url:
        yield url


def test_upgrade_from_empty_matches_the_models_and_downgrades(empty_database_url, tmp_path_factory):
    app = create_app(test_config(empty_database_url, tmp_path_factory))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
        assert diff == []
        assert "users" in inspect(db.engine).get_table_names()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()  # a second upgrade proves the downgrade left nothing behind (e.g. enum types)
        assert "users" in inspect(db.engine).get_table_names()
        db.engine.dispose()
