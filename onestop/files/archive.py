"""Files follow the database through `flask backup` and `flask restore`: a tar beside the backup file.

The backup writes FILE and FILE.files.tar (every stored file a row points to, under its content key); the
restore puts each one back into the configured store (directory or S3) after checking its SHA-256.
"""
import hashlib
import io
import re
import tarfile
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from . import storage
from .models import DossierFile

KEY = re.compile(r"^blobs/[0-9a-f]{2}/[0-9a-f]{2}/([0-9a-f]{64})$")


def companion(backup: Path) -> Path:
    """Where the files of a backup go: 'onestop.backup' → 'onestop.backup.files.tar'."""
    return backup.with_name(backup.name + ".files.tar")


def export_files(target: Path) -> tuple[int, int]:
    """Write every file the database refers to into a tar; (written, missing from the store)."""
    hashes = db.session.scalars(sa.select(DossierFile.sha256).distinct().order_by(DossierFile.sha256)).all()
    store, written, missing = storage.current_store(), 0, 0
    with tarfile.open(target, "w") as tar:
        for sha in hashes:
            try:
                data = store.get(storage.blob_key(sha))
            except (storage.MissingObject, storage.StoreUnavailable):
                current_app.logger.error("backup: file %s is missing from the store", sha)
                missing += 1
                continue
            member = tarfile.TarInfo(storage.blob_key(sha))
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))
            written += 1
    return written, missing


def import_files(source: Path) -> int:
    """Put the files of a backup's tar into the store (none when there is no tar); damaged entries are skipped."""
    if not source.is_file():
        return 0
    store, count = storage.current_store(), 0
    with tarfile.open(source, "r") as tar:
        for member in tar:
            match = KEY.match(member.name)
            if not member.isfile() or match is None:
                continue
            data = tar.extractfile(member).read()
            if hashlib.sha256(data).hexdigest() == match.group(1):
                store.put(member.name, data)
                count += 1
    return count
