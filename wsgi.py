"""Entry point for production servers: `gunicorn wsgi:app`."""
from onestop import create_app

app = create_app()
