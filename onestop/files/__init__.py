"""Digitisation: scanned papers of a dossier and its electronic result, kept in a content-addressed store.

Decree 118/2025 art. 17 and Circular 03/2025 art. 5: the desk scans the papers a citizen brings (with
listed exceptions) and keeps results as electronic copies. `models` holds the tables (re-exported by
onestop.models), `storage` the directory and S3 stores, `content` the type checks, `store` the domain
functions, `views`/`api`/`public` the three faces.
"""


# Requests that may carry scans: the intake form, the file pages and the 'result ready' step.
UPLOAD_ENDPOINTS = ("desk.receive", "files.upload", "desk.act", "api.upload_file")


def init_app(app):
    """Register the desk's file pages and let the requests that carry scans be larger than others."""
    from flask import request

    from . import views

    app.register_blueprint(views.bp)

    def room_for_scans():
        # Only a multipart body carries files; its text fields stay bound by MAX_FORM_MEMORY_SIZE.
        if request.endpoint in UPLOAD_ENDPOINTS and request.method == "POST" and \
                request.mimetype == "multipart/form-data":
            request.max_content_length = int((app.config["FILES_MAX_DOSSIER_MB"] + 1) * 1024 * 1024)

    # First of all hooks: the CSRF check reads the form, and would stop at MAX_CONTENT_LENGTH.
    app.before_request_funcs.setdefault(None, []).insert(0, room_for_scans)
