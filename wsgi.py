"""WSGI entry point: `gunicorn wsgi:app` or `flask --app wsgi ...`."""

from livinglab import create_app

app = create_app()
