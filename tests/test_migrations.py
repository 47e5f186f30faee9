"""The migrations build the same schema as the models: a model change without a migration fails here."""
import flask_migrate
import sqlalchemy as sa

from onestop import create_app
from onestop.extensions import db


def test_migrations_match_the_models(tmp_path, database_url):
    url = f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    if database_url.startswith("postgresql"):
        engine = sa.create_engine(database_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(sa.text('DROP DATABASE IF EXISTS "onestop_migrations" WITH (FORCE)'))
            connection.execute(sa.text('CREATE DATABASE "onestop_migrations"'))
        engine.dispose()
        url = sa.make_url(database_url).set(database="onestop_migrations").render_as_string(hide_password=False)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        flask_migrate.upgrade()
        flask_migrate.check()  # raises when autogenerate finds a difference
        assert "dossier" in sa.inspect(db.engine).get_table_names()
        db.engine.dispose()
