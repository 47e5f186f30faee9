"""privacy log rows for lists: one row per request that reads a list of dossiers (issue 16 item 7)

Revision ID: 147135ba1b49
Revises: 507d6ffff3e1
Create Date: 2026-12-06 09:50:46.114804

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '147135ba1b49'
down_revision = '507d6ffff3e1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('personal_data_view', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agency_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('filters', sa.String(length=500), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('count', sa.Integer(), nullable=True))
        batch_op.alter_column('dossier_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_personal_data_view_agency_id'), ['agency_id'], unique=False)
        batch_op.create_foreign_key('fk_personal_data_view_agency_id', 'agency', ['agency_id'], ['id'])



def downgrade():
    with op.batch_alter_table('personal_data_view', schema=None) as batch_op:
        batch_op.drop_constraint('fk_personal_data_view_agency_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_personal_data_view_agency_id'))
        batch_op.alter_column('dossier_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('count')
        batch_op.drop_column('filters')
        batch_op.drop_column('agency_id')

