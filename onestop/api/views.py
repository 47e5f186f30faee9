"""API v1 endpoints."""
from flask_smorest import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1", description="onestop API v1")


@bp.get("/procedures")
def procedures():
    """Search the procedure catalogue."""
    return {"items": []}
