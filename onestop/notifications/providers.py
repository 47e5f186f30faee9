"""The ways a message leaves the building: e-mail by SMTP, SMS through an HTTP gateway, Zalo ZNS.

Each provider is a class with `channel` and `send(message) -> answer`; `send` raises DeliveryError
with the provider's answer when the message did not go out, and the sender retries it later. A
channel without its settings is off. To add another SMS gateway, write a class with the same two
members and return it from `configured()` for its own settings.
"""
import json
import smtplib
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formatdate, make_msgid

from .models import Channel

ZALO_ZNS_DEFAULT_URL = "https://business.openapi.zalo.me/message/template"


class DeliveryError(Exception):
    """The provider refused the message or could not be reached; the text is its answer."""


@dataclass(frozen=True)
class Outgoing:
    """What a provider needs of one outbox message (a plain copy: no database session while sending)."""

    id: int
    channel: Channel
    recipient: str
    subject: str
    body: str
    html: str = ""
    data: dict = field(default_factory=dict)


class SmtpMail:
    """E-mail through the SMTP server of MAIL_SERVER (STARTTLS and login when configured)."""

    channel = Channel.EMAIL

    def __init__(self, config):
        self.server, self.port = config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25)
        self.use_tls = bool(config.get("MAIL_USE_TLS"))
        self.username, self.password = config.get("MAIL_USERNAME"), config.get("MAIL_PASSWORD")
        self.sender = config.get("MAIL_DEFAULT_SENDER") or "onestop@localhost"
        self.timeout = config["NOTIFICATIONS_TIMEOUT"]

    def send(self, message: Outgoing) -> str:
        email = self.compose(message)
        try:
            with smtplib.SMTP(self.server, self.port, timeout=self.timeout) as smtp:
                if self.use_tls:
                    smtp.starttls()
                if self.username:
                    smtp.login(self.username, self.password or "")
                refused = smtp.send_message(email)
                code, answer = smtp.noop()
        except (OSError, smtplib.SMTPException) as error:
            raise DeliveryError(f"SMTP: {error}") from error
        if refused:
            raise DeliveryError(f"SMTP refused: {refused}")
        return f"SMTP {self.server}: {code} {answer.decode(errors='replace')[:200]} ({email['Message-ID']})"

    def compose(self, message: Outgoing) -> MIMEMultipart:
        """The e-mail: plain text and HTML alternatives, UTF-8.

        Built with the legacy MIME classes: the modern EmailMessage folds a long Vietnamese subject
        into encoded words and drops the space where it splits them ("trảkết"; CPython 3.11).
        """
        email = MIMEMultipart("alternative")
        email["From"], email["To"] = self.sender, message.recipient
        email["Subject"] = Header(message.subject, "utf-8")
        email["Date"] = formatdate(localtime=False)
        email["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2] or "localhost")
        email.attach(MIMEText(message.body, "plain", "utf-8"))
        if message.html:
            email.attach(MIMEText(message.html, "html", "utf-8"))
        return email


def _post_json(url: str, payload: dict, headers: dict, timeout: float) -> tuple[int, str]:
    request = urllib.request.Request(url, data=json.dumps(payload, ensure_ascii=False).encode(), method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8", **headers})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (an admin-set https URL)
            return response.status, response.read(2000).decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        raise DeliveryError(f"HTTP {error.code}: {error.read(500).decode('utf-8', 'replace')}") from error
    except (OSError, ValueError) as error:  # refused, timed out, bad URL
        raise DeliveryError(f"{type(error).__name__}: {error}") from error


class SmsGateway:
    """SMS through an HTTP gateway: a JSON POST of {to, text} with the key as a bearer token."""

    channel = Channel.SMS

    def __init__(self, config):
        self.url, self.key = config["SMS_GATEWAY_URL"], config.get("SMS_GATEWAY_KEY") or ""
        self.timeout = config["NOTIFICATIONS_TIMEOUT"]

    def send(self, message: Outgoing) -> str:
        headers = {"Authorization": f"Bearer {self.key}"} if self.key else {}
        status, answer = _post_json(self.url, {"to": message.recipient, "text": message.body}, headers, self.timeout)
        return f"HTTP {status}: {answer[:500]}"


class ZaloZns:
    """Zalo Notification Service: an approved template filled with the message's parameters."""

    channel = Channel.ZALO

    def __init__(self, config):
        self.token, self.template_id = config["ZALO_ZNS_TOKEN"], config["ZALO_ZNS_TEMPLATE_ID"]
        self.url = config.get("ZALO_ZNS_API_URL") or ZALO_ZNS_DEFAULT_URL
        self.timeout = config["NOTIFICATIONS_TIMEOUT"]

    def send(self, message: Outgoing) -> str:
        payload = {"phone": message.recipient, "template_id": self.template_id,
                   "template_data": message.data, "tracking_id": str(message.id)}
        status, answer = _post_json(self.url, payload, {"access_token": self.token}, self.timeout)
        try:
            error = json.loads(answer).get("error")
        except (ValueError, AttributeError):
            error = "?"
        if error != 0:  # ZNS answers 200 with {"error": <non-zero>, "message": …} when it refuses
            raise DeliveryError(f"ZNS: {answer[:500]}")
        return f"HTTP {status}: {answer[:500]}"


def configured(config) -> dict:
    """The providers whose settings are present, by channel; a channel without settings is off."""
    found = {}
    if config.get("MAIL_SERVER"):
        found[Channel.EMAIL] = SmtpMail(config)
    if config.get("SMS_GATEWAY_URL"):
        found[Channel.SMS] = SmsGateway(config)
    if config.get("ZALO_ZNS_TOKEN") and config.get("ZALO_ZNS_TEMPLATE_ID"):
        found[Channel.ZALO] = ZaloZns(config)
    return found


def channels_on(config) -> list[Channel]:
    """The channels the intake form may offer, in a fixed order."""
    on = configured(config)
    return [channel for channel in (Channel.SMS, Channel.ZALO, Channel.EMAIL) if channel in on]
