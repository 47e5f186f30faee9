"""Several people scanning the same folder at once take it in turn: the hand-over chain stays unbroken."""
import http.cookiejar
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from lifecycle import build, people
from onestop.extensions import db
from onestop.models import Dossier, Event

TAKERS, ROUNDS = ("officer", "officer2", "leader", "clerk"), 6


def _session(base_url, username):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    opener.open(f"{base_url}/auth/login", urllib.parse.urlencode({"username": username, "password": "demo"}).encode())
    return opener


def test_simultaneous_takes_form_one_chain_of_hand_overs(live_server):
    base_url = live_server.config["LIVE_URL"]
    with live_server.app_context():
        people()
        code = build("processing").code
        db.session.commit()
    openers = {name: _session(base_url, name) for name in TAKERS}

    def take(index):
        name = TAKERS[index % len(TAKERS)]
        form = urllib.parse.urlencode({"to_user": name}).encode()
        with openers[name].open(f"{base_url}/desk/dossiers/{code}/actions/hand_over", form) as response:
            return response.status

    with ThreadPoolExecutor(len(TAKERS)) as pool:
        assert set(pool.map(take, range(len(TAKERS) * ROUNDS))) == {200}
    with live_server.app_context():
        dossier = db.session.scalar(sa.select(Dossier).where(Dossier.code == code))
        events = db.session.scalars(sa.select(Event).where(Event.dossier_id == dossier.id,
                                                           Event.action == "hand_over").order_by(Event.id)).all()
        chain = [(event.from_user_id, event.to_user_id) for event in events]
        assert len(chain) >= 2
        for (_, given_to), (taken_from, _) in zip(chain, chain[1:]):
            assert taken_from == given_to  # nobody took it from someone who no longer had it
        assert dossier.holder_user_id == chain[-1][1]
