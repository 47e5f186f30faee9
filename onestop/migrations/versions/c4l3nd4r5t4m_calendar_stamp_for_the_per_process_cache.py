"""a first calendar stamp, so every process can cache the working calendar from the start (issue 15)

Revision ID: c4l3nd4r5t4m
Revises: cdb89926e1fa
Create Date: 2026-12-06 10:15:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4l3nd4r5t4m'
down_revision = 'cdb89926e1fa'
branch_labels = None
depends_on = None

SETTING = sa.table('setting', sa.column('key', sa.String), sa.column('value', sa.JSON))


def upgrade():
    # Data only: onestop.calendars reads this row once per request and rebuilds its cached
    # calendar when a calendar write has replaced it.
    bind = op.get_bind()
    if bind.execute(sa.select(SETTING.c.key).where(SETTING.c.key == 'calendar_stamp')).first() is None:
        op.bulk_insert(SETTING, [{'key': 'calendar_stamp', 'value': secrets.token_hex(16)}])


def downgrade():
    op.execute(SETTING.delete().where(SETTING.c.key == 'calendar_stamp'))
