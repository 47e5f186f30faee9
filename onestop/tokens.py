"""API bearer tokens: made for a user, stored only as a SHA-256 hash, revocable."""
import hashlib
import secrets

import sqlalchemy as sa
from sqlalchemy import orm

from . import clock
from .extensions import db
from .models import ApiToken, User


def issue(user: User) -> str:
    """A new token for the user; only its hash is kept, so show it once."""
    token = secrets.token_urlsafe(32)
    db.session.add(ApiToken(user=user, token_hash=_hash(token)))
    return token


def user_for(token: str) -> User | None:
    """The active user owning an unrevoked token (a fast hash: tokens are long and random)."""
    row = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == _hash(token),
                                                      ApiToken.revoked_at.is_(None))
                            .options(orm.joinedload(ApiToken.user).joinedload(User.agency)))
    return row.user if row is not None and row.user.active else None


def revoke(token_row: ApiToken) -> None:
    """Stop a token from working."""
    token_row.revoked_at = clock.now()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
