"""2025 regime: agency e-IDs up to 35 characters, longer dossier codes, the agency's receiving unit

Decision 20/2020/QĐ-TTg allows e-IDs of up to 35 characters, and provinces re-issued them after the
2025 mergers; a dossier code is that e-ID, the day and a number that may grow past four digits.
Decree 118/2025/NĐ-CP: a commune receives dossiers at its Trung tâm Phục vụ hành chính công, whose
name is printed under the committee's.

Revision ID: 5e1c2a7d9b04
Revises: e9e485a7ce93
Create Date: 2026-12-06 09:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e1c2a7d9b04'
down_revision = 'e9e485a7ce93'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.alter_column('code', existing_type=sa.String(length=13), type_=sa.String(length=35),
                              existing_nullable=False)
        batch_op.add_column(sa.Column('receiving_unit', sa.String(length=255), server_default='', nullable=False))
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.alter_column('code', existing_type=sa.String(length=32), type_=sa.String(length=64),
                              existing_nullable=False)


def downgrade():
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.alter_column('code', existing_type=sa.String(length=64), type_=sa.String(length=32),
                              existing_nullable=False)
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.drop_column('receiving_unit')
        batch_op.alter_column('code', existing_type=sa.String(length=35), type_=sa.String(length=13),
                              existing_nullable=False)
