"""The words of each message, from messages.json: SMS in one GSM-7 segment, e-mail in full, Zalo's parameters."""
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from flask import render_template

# GSM 03.38: the basic set counts 1, the extension table 2 (escape + char); anything else needs UCS-2.
GSM7_BASIC = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                 "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXTENSION = set("^{}\\[~]|€\f")


@cache
def catalogue() -> dict:
    """Every message's words, as kept in messages.json beside this module."""
    return json.loads((Path(__file__).with_name("messages.json")).read_text(encoding="utf-8"))


def sms_units(text: str) -> tuple[str, int]:
    """('gsm7', septets) when the text fits the GSM alphabet, else ('ucs2', UTF-16 code units)."""
    if all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text):
        return "gsm7", sum(2 if char in GSM7_EXTENSION else 1 for char in text)
    return "ucs2", len(text.encode("utf-16-le")) // 2


def fits_one_sms(text: str) -> bool:
    """Whether the text goes out as a single SMS: 160 GSM-7 characters, or 70 where accents need UCS-2."""
    encoding, units = sms_units(text)
    return units <= (160 if encoding == "gsm7" else 70)


@dataclass(frozen=True)
class Rendered:
    """One event's message in each form."""

    sms: str
    subject: str
    text: str
    html: str
    zalo: dict = field(default_factory=dict)


def render(kind: str, values: dict) -> Rendered:
    """Fill the event's words with the dossier's values (code, link, dates; never personal numbers)."""
    words = catalogue()[kind]
    values = {**values, "delivery": _delivery(values, "delivery"), "delivery_sms": _delivery(values, "delivery_sms")}
    text = words["email"].format_map(values)
    subject = words["subject"].format_map(values)
    html = render_template("notifications/email.html", subject=subject, paragraphs=text.split("\n\n"),
                           link=values.get("link") or values.get("staff_link"), agency=values.get("agency", ""))
    sms = words.get("sms", "").format_map(values)
    zalo = {"code": values.get("code", ""), "status": words.get("zalo", ""), "date": values.get("date", ""),
            "link": values.get("link", "")} if "zalo" in words else {}
    return Rendered(sms=sms, subject=subject, text=text, html=html, zalo=zalo)


def _delivery(values: dict, key: str) -> str:
    choice = catalogue()[key].get(values.get("result_delivery", "desk"), "")
    return choice.format_map(values)
