"""Real servers on 127.0.0.1 for the notification tests: an SMTP server (aiosmtpd) and HTTP stubs for SMS and Zalo."""
import json
import socket
import threading
import time
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpInbox:
    """An aiosmtpd handler keeping every message it accepted, parsed."""

    def __init__(self):
        self.messages, self.lock = [], threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


class SmtpServer:
    """aiosmtpd on a free port of 127.0.0.1; `messages` are email.message.EmailMessage objects."""

    def __init__(self):
        self.inbox = SmtpInbox()
        self.port = free_port()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self):
        return list(self.inbox.messages)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


class _Recorder(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's name)
        stub = self.server.stub
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with stub.lock:
            stub.received.append({"path": self.path, "headers": {key.lower(): value for key, value in self.headers.items()}, "json": json.loads(body or b"{}")})
            mode = stub.mode
        if mode == "slow":
            time.sleep(stub.delay)
        status, answer = (500, {"error": "internal"}) if mode == "fail" else (200, stub.answer)
        payload = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


class HttpStub:
    """A JSON endpoint that records each POST; `mode` is ok, fail (HTTP 500) or slow (answers after `delay` s)."""

    def __init__(self, answer=None, delay=0.0):
        self.received, self.lock = [], threading.Lock()
        self.mode, self.answer, self.delay = "ok", answer or {"ok": True}, delay
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
        self.server.stub = self
        self.url = f"http://127.0.0.1:{self.server.server_port}/send"

    def __enter__(self):
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
