"""Vietnamese by default, English on request: the login page and its messages."""
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "translations" / "en" / "LC_MESSAGES"
needs_mo = pytest.mark.skipif(not (CATALOG / "messages.mo").exists(),
                              reason="English catalog not compiled: run `make test` (it runs pybabel compile)")


def test_login_page_is_vietnamese_by_default(client):
    page = client.get("/auth/login").text
    assert '<html lang="vi">' in page
    assert "Đăng nhập" in page and "Mật khẩu" in page
    assert "Log in" not in page


@needs_mo
def test_lang_en_switches_to_english_and_is_remembered(client):
    page = client.get("/auth/login?lang=en").text
    assert '<html lang="en">' in page
    assert "Log in" in page and "Username" in page and "Password" in page
    assert "Đăng nhập" not in page

    assert "Log in" in client.get("/auth/login").text  # kept in the session
    assert "Đăng nhập" in client.get("/auth/login?lang=vi").text


@needs_mo
def test_english_form_errors_and_flash_messages(client):
    client.get("/auth/login?lang=en")
    page = client.post("/auth/login", data={"username": "", "password": ""}).text
    assert "Enter your username." in page and "Enter your password." in page

    page = client.post("/auth/login", data={"username": "nobody", "password": "wrong"}).text
    assert "Wrong username or password." in page


def test_every_english_entry_is_translated_with_the_same_placeholders():
    with open(CATALOG / "messages.po", "rb") as po:
        catalog = read_po(po, locale="en")
    untranslated = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert untranslated == [], "translate these in messages.po (see `make translations`)"
    broken = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()]
    assert broken == []


def test_the_english_catalog_holds_the_strings_the_code_marks_and_no_others():
    """A string marked in the code but missing from the catalog shows in Vietnamese on an English screen; one the
    code no longer marks is kept up to date by translators for nothing. `make translations` mends both (it
    extracts with the same babel.cfg and keywords as here)."""
    with open(ROOT / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    marked = {(context, msgid if isinstance(msgid, str) else msgid[0])
              for _file, _line, msgid, _comments, context in extract_from_dir(
                  ROOT, method_map, options_map, keywords=keywords)}
    with open(CATALOG / "messages.po", "rb") as po:
        catalog = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in read_po(po, locale="en") if m.id}
    assert sorted(marked - catalog, key=str) == [], "not in messages.po: run `make translations` and translate them"
    assert sorted(catalog - marked, key=str) == [], "no longer in the code: run `make translations`"
