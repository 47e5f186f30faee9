"""personal data purged at

When `flask privacy purge` blanked a closed dossier's applicant details (Law 91/2025/QH15 retention).

Revision ID: cdb89926e1fa
Revises: 147135ba1b49
Create Date: 2026-12-06 09:57:05.375814

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'cdb89926e1fa'
down_revision = '147135ba1b49'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.add_column(sa.Column('personal_data_purged_at', sa.DateTime(timezone=True), nullable=True))



def downgrade():
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.drop_column('personal_data_purged_at')

