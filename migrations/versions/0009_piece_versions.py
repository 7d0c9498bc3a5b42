"""piece versions: a counter for optimistic locking of piece edits

Revision ID: 0009_piece_versions
Revises: 0008_sign_ins
Create Date: 2026-12-02 10:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009_piece_versions'
down_revision = '0008_sign_ins'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('pieces', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    with op.batch_alter_table('pieces', schema=None) as batch_op:
        batch_op.drop_column('version')
