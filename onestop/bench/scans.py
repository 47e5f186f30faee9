"""What the benchmark measures of files (issue 18): a 2 MB scan uploaded and downloaded through the API,
on the directory store, beside the bare route of the same client; the table shows MB/s in the note."""
import io
import statistics

import sqlalchemy as sa
from flask import Flask

from .. import tokens
from ..extensions import db
from ..models import OPEN_STATUSES, Dossier, User
from .inprocess import BARE
from .timing import Result, compare, interleaved

SCAN_BYTES = 2 * 1024 * 1024


def scan(number: int) -> bytes:
    """A scanned page as a desk scanner writes it (a JPEG inside a PDF) of about 2 MB, different for each number
    so that every upload is stored anew (no deduplication)."""
    import random

    from PIL import Image

    width, height = 1480, 2090  # A4 at about 180 dpi; noise keeps the JPEG near 2 MB
    page = Image.frombytes("RGB", (width, height), random.Random(number).randbytes(width * height * 3))
    buffer = io.BytesIO()
    page.save(buffer, "PDF", resolution=180, quality=80)
    return buffer.getvalue()


def throughput(app: Flask, username: str, agency_id: int, rounds: int) -> list[Result]:
    """Upload then download `rounds` different 2 MB scans to one open dossier, each beside the bare route."""
    app.config["FILES_MAX_DOSSIER_MB"] = 10 ** 6  # the benchmark puts hundreds of scans on one dossier
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == username))
        token = tokens.issue(user)
        code = db.session.scalar(sa.select(Dossier.code).where(Dossier.agency_id == agency_id,
                                                              Dossier.status.in_(OPEN_STATUSES)).limit(1))
        db.session.commit()
    client, headers = app.test_client(), {"Authorization": f"Bearer {token}"}
    bodies = [scan(i) for i in range(rounds + 3)]
    uploaded: list[int] = []

    def upload(i):
        response = client.post(f"/api/v1/dossiers/{code}/files", headers=headers,
                               data={"file": (io.BytesIO(bodies[i]), f"scan-{i}.pdf"), "kind": "component"},
                               content_type="multipart/form-data")
        assert response.status_code == 201, response.text
        uploaded.append(response.json["id"])

    def download(i):
        response = client.get(f"/api/v1/dossiers/{code}/files/{uploaded[i % len(uploaded)]}", headers=headers)
        assert response.status_code == 200 and len(response.data) > SCAN_BYTES // 2

    def bare(i):
        assert client.get(BARE).status_code == 200

    up = interleaved(upload, bare, rounds)
    down = interleaved(download, bare, rounds)
    size = statistics.mean(len(body) for body in bodies)
    return [compare("2 MB scan upload (API, directory store)", *up,
                    note=f"baseline: bare route, same client; {_mb_per_s(size, up[0])} MB/s"),
            compare("2 MB scan download (API, directory store)", *down,
                    note=f"baseline: bare route, same client; {_mb_per_s(size, down[0])} MB/s")]


def _mb_per_s(size: float, samples: list[float]) -> str:
    return f"{size / 1024 / 1024 / (statistics.median(samples) / 1000):.1f}"
