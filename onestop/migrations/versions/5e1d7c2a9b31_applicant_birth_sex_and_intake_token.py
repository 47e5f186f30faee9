"""the applicant's date of birth and sex (from the ID card's QR), and the intake form's one-time token

Revision ID: 5e1d7c2a9b31
Revises: 0a8b87aec02f
Create Date: 2026-12-06 09:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e1d7c2a9b31'
down_revision = '0a8b87aec02f'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.add_column(sa.Column('applicant_date_of_birth', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('applicant_sex', sa.String(length=8), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('intake_token', sa.String(length=40), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_dossier_intake_token'), ['intake_token'])


def downgrade():
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_dossier_intake_token'), type_='unique')
        batch_op.drop_column('intake_token')
        batch_op.drop_column('applicant_sex')
        batch_op.drop_column('applicant_date_of_birth')
