"""API bearer tokens: made for a user, stored only as a SHA-256 hash, expiring, revocable one by one."""
import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import orm

from . import clock, database, settings
from .extensions import db
from .models import ApiToken, User

# "Last used" is kept to the minute: a script calling many times a second writes it once a minute, not each time.
USE_GRANULARITY = timedelta(minutes=1)


def issue(user: User) -> str:
    """A new token for the user, valid for the days the settings give; only its hash is kept, so show it once."""
    token, now = secrets.token_urlsafe(32), clock.now()
    db.session.add(ApiToken(user=user, token_hash=_hash(token), created_at=now,
                            expires_at=now + timedelta(days=int(settings.get("api_token_days")))))
    return token


def user_for(token: str) -> User | None:
    """The active user owning an unrevoked, unexpired token (a fast hash: tokens are long and random)."""
    now = clock.now()
    found = db.session.execute(_LIVE_TOKEN, {"hash": _hash(token), "now": now}).first()
    if found is None or not found.User.active:
        return None
    _note_use(found.id, found.last_used_at, now)
    return found.User


# Built once: every API call runs it. The user comes with its agency; of the token only what _note_use needs.
_LIVE_TOKEN = (sa.select(User, ApiToken.id, ApiToken.last_used_at).join(ApiToken, ApiToken.user_id == User.id)
               .where(ApiToken.token_hash == sa.bindparam("hash"), ApiToken.revoked_at.is_(None),
                      ApiToken.expires_at > sa.bindparam("now", type_=ApiToken.expires_at.type))
               .options(orm.joinedload(User.agency)))


def of_user(user: User) -> list[ApiToken]:
    """The user's tokens not revoked, newest first (expired ones too, to be seen and revoked)."""
    return list(db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                                   .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def find(user: User, token_id: int) -> ApiToken | None:
    """The user's unrevoked token with this number (the number `flask users tokens` and the admin page show)."""
    return db.session.scalar(sa.select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id,
                                                       ApiToken.revoked_at.is_(None)))


def revoke(token_row: ApiToken) -> None:
    """Stop a token from working."""
    token_row.revoked_at = clock.now()


def _note_use(token_id: int, last_used_at: datetime | None, now: datetime) -> None:
    if last_used_at is not None and now - last_used_at < USE_GRANULARITY:
        return
    update = sa.update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now)
    if database.reading():
        # A GET writes nothing of its own: note the use in a transaction of its own (as the privacy log does).
        with db.engine.begin() as connection:
            connection.execute(update)
    else:
        db.session.connection().execute(update)  # saved with the request's own change


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
