"""Where the bytes of files live: a directory on the commune PC, or an S3-compatible store for a province.

Both keep an object under a key made from its SHA-256, so the same scan is kept once; the database holds
only the key. `FILES_URL` chooses: unset (a directory under instance/), a path or file:// URL, or
s3://bucket/prefix with FILES_S3_ENDPOINT, FILES_S3_ACCESS_KEY, FILES_S3_SECRET_KEY, FILES_S3_REGION.
"""
import os
import tempfile
from pathlib import Path
from urllib.parse import urlparse

from flask import current_app


class MissingObject(Exception):
    """The store has no object under this key (the row outlived its file)."""


class StoreUnavailable(Exception):
    """The store could not be written or read (disk full, object store down)."""


def blob_key(sha256: str) -> str:
    """The key of a file's bytes: two levels of directories keep a directory small."""
    return f"blobs/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def thumbnail_key(sha256: str) -> str:
    return f"thumbnails/{sha256[:2]}/{sha256}.png"


class DirectoryStore:
    """Objects as files under one directory; written to a temporary name and renamed, so never half there."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / key

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        if path.is_file() and path.stat().st_size == len(data):
            return  # content-addressed: the same key holds the same bytes
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
            with os.fdopen(handle, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except OSError as error:
            raise StoreUnavailable(str(error)) from error

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise MissingObject(key) from None
        except OSError as error:
            raise StoreUnavailable(str(error)) from error

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def keys(self, prefix: str = ""):
        base = self.root / prefix
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                if path.is_file() and not path.name.startswith(".part-"):
                    yield path.relative_to(self.root).as_posix()


class S3Store:
    """Objects in an S3-compatible bucket (SeaweedFS, MinIO, a cloud), shared by every app server."""

    def __init__(self, bucket: str, prefix: str, client):
        self.bucket, self.prefix, self.client = bucket, prefix.strip("/"), client

    def _key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def put(self, key: str, data: bytes) -> None:
        try:
            self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data)
        except Exception as error:  # botocore's errors have no common base worth naming here
            raise StoreUnavailable(str(error)) from error

    def get(self, key: str) -> bytes:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"].read()
        except self.client.exceptions.NoSuchKey:
            raise MissingObject(key) from None
        except Exception as error:
            if _status(error) == 404:
                raise MissingObject(key) from None
            raise StoreUnavailable(str(error)) from error

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except Exception as error:
            if _status(error) == 404:
                return False
            raise StoreUnavailable(str(error)) from error
        return True

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))

    def keys(self, prefix: str = ""):
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket,
                                                                      Prefix=self._key(prefix))
        cut = len(self.prefix) + 1 if self.prefix else 0
        for page in pages:
            for item in page.get("Contents", []):
                yield item["Key"][cut:]


def _status(error) -> int | None:
    return getattr(error, "response", {}).get("ResponseMetadata", {}).get("HTTPStatusCode")


def open_store(url: str | None, config) -> DirectoryStore | S3Store:
    """The store FILES_URL names (a directory under the instance folder when it is empty)."""
    if not url:
        return DirectoryStore(Path(current_app.instance_path) / "files")
    parsed = urlparse(url)
    if parsed.scheme == "s3":
        return S3Store(parsed.netloc, parsed.path, _s3_client(config))
    if parsed.scheme == "file":
        return DirectoryStore(Path(parsed.path))
    return DirectoryStore(Path(url))


def _s3_client(config):
    import boto3  # only an installation with an object store needs it loaded
    from botocore.config import Config

    return boto3.client(
        "s3", endpoint_url=config.get("FILES_S3_ENDPOINT") or None,
        aws_access_key_id=config.get("FILES_S3_ACCESS_KEY") or None,
        aws_secret_access_key=config.get("FILES_S3_SECRET_KEY") or None,
        region_name=config.get("FILES_S3_REGION") or "us-east-1",
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 3},
                      connect_timeout=5, read_timeout=30))


def current_store() -> DirectoryStore | S3Store:
    """The app's store, opened once per app (a boto3 client is reused across requests and threads)."""
    stores = current_app.extensions.setdefault("onestop_files", {})
    if "store" not in stores:
        stores["store"] = open_store(current_app.config.get("FILES_URL"), current_app.config)
    return stores["store"]
