"""Signed-in sessions kept on the server: logging out ends one for good; a reset or deactivation ends them all."""
import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import orm

from .extensions import db
from .models import LoginSession, User

NONCE_KEY = "_nonce"  # the session cookie's key for this browser's nonce
# A session in use is renewed by each request (security.py), but none lives longer than this: a cookie
# copied and replayed every few hours would otherwise live for ever; a desk signs in again each morning anyway.
MAX_AGE = timedelta(days=30)


def start(user: User, now: datetime) -> str:
    """A new session for the user; returns the nonce the browser's cookie keeps (only its hash is stored)."""
    nonce = secrets.token_urlsafe(32)
    db.session.execute(sa.delete(LoginSession).where(LoginSession.user_id == user.id,
                                                     LoginSession.started_at < now - MAX_AGE))
    db.session.add(LoginSession(user_id=user.id, nonce_hash=_hash(nonce), started_at=now))
    return nonce


def user_for(user_id: int, nonce: str | None, now: datetime) -> User | None:
    """The user whose session this nonce opened, if it is still open; one query, with the user's agency."""
    if not nonce:
        return None
    return db.session.scalar(
        sa.select(User).join(LoginSession, LoginSession.user_id == User.id)
        .where(User.id == user_id, LoginSession.nonce_hash == _hash(nonce), LoginSession.started_at >= now - MAX_AGE)
        .options(orm.joinedload(User.agency)))


def end(nonce: str | None) -> None:
    """End the session with this nonce (logout)."""
    if nonce:
        db.session.execute(sa.delete(LoginSession).where(LoginSession.nonce_hash == _hash(nonce)))


def end_all(user: User) -> int:
    """End every session of the user, on every browser; returns how many were open."""
    return db.session.execute(sa.delete(LoginSession).where(LoginSession.user_id == user.id)).rowcount


def open_count(user: User, now: datetime) -> int:
    """How many browsers are signed in as the user."""
    return db.session.scalar(sa.select(sa.func.count(LoginSession.id)).where(
        LoginSession.user_id == user.id, LoginSession.started_at >= now - MAX_AGE))


def _hash(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()
