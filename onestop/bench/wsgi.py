"""The app as gunicorn serves it in the benchmark: production settings plus the bare baseline route."""
from onestop import create_app
from onestop.bench.inprocess import add_bare_route

app = create_app()
add_bare_route(app)
