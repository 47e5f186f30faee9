"""How a stored file leaves the server: as the checked type, never sniffed, never as a page that runs."""
import io

from flask import send_file

from .models import DossierFile


def file_response(stored: DossierFile, data: bytes, *, inline: bool = False):
    """The bytes with their checked type; an attachment with a safe name unless `inline` (PDF/image viewer)."""
    response = send_file(io.BytesIO(data), mimetype=stored.content_type, as_attachment=not inline,
                         download_name=stored.name, etag=stored.sha256, conditional=False, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Even if a browser were tricked into rendering it as a page, it could run nothing and reach nothing.
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'")
    response.headers["Cache-Control"] = "private, no-store"
    return response
