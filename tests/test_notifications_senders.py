"""Two `flask notifications send` processes started together send each message once (SQLite and PostgreSQL)."""
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa

from conftest import PINNED_NOW, _empty_tables, make_app
from lifecycle import receive
from notify_servers import HttpStub, SmtpServer
from onestop.extensions import db
from onestop.models import OutboxMessage
from onestop.notifications import outbox

ROOT = Path(__file__).resolve().parent.parent
DOSSIERS = 30


@pytest.fixture
def servers():
    with SmtpServer() as smtp, HttpStub(delay=0.02) as sms:
        sms.mode = "slow"  # a little latency per SMS, so the two senders' batches interleave
        yield smtp, sms


@pytest.fixture
def app(database_url, servers):
    smtp, sms = servers
    app = make_app(database_url, MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, SMS_GATEWAY_URL=sms.url)
    yield app
    _empty_tables(app)


def test_two_senders_started_together_send_each_message_once(app, demo, database_url, servers):
    smtp, sms = servers
    with app.test_request_context():
        for number in range(DOSSIERS):
            dossier = receive(name=f"Người nộp {number}")
            dossier.applicant_email = f"nguoi{number}@example.vn"
            outbox.record_consent(dossier, ["email", "sms"], now=dossier.received_at)
        db.session.commit()
    env = {**os.environ, "DATABASE_URL": database_url, "FLASK_SECRET_KEY": "test", "FLASK_NOW": PINNED_NOW.isoformat(),
           "FLASK_MAIL_SERVER": "127.0.0.1", "FLASK_MAIL_PORT": str(smtp.port), "FLASK_SMS_GATEWAY_URL": sms.url,
           "FLASK_NOTIFICATIONS_BATCH": "4"}
    command = [sys.executable, "-m", "flask", "--app", "onestop", "notifications", "send"]
    senders = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(2)]
    outputs = [sender.communicate(timeout=180) for sender in senders]
    assert [sender.returncode for sender in senders] == [0, 0], outputs

    mails = Counter(message["To"] for message in smtp.messages)
    texts = Counter(request["json"]["text"] for request in sms.received)
    assert len(mails) == DOSSIERS and set(mails.values()) == {1}
    assert len(texts) == DOSSIERS and set(texts.values()) == {1}
    with app.app_context():
        rows = db.session.execute(sa.select(OutboxMessage.status, OutboxMessage.claimed_by)).all()
    assert {str(status) for status, _ in rows} == {"sent"} and len(rows) == 2 * DOSSIERS
    sent = sum(int(output.split("đã gửi: ")[1].split(";")[0]) for output, _ in outputs)
    assert sent == 2 * DOSSIERS  # the two reports add up: no message counted by both
