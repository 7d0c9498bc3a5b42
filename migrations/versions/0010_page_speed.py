"""page speed: the site generation that invalidates kept public pages, Markdown stored rendered, and
an index for newest-first lists of published pieces

Revision ID: 0010_page_speed
Revises: 0009_piece_versions
Create Date: 2026-12-06 00:20:00.000000

"""
import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010_page_speed'
down_revision = '0009_piece_versions'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'site_generation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('value', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_site_generation')),
    )
    op.bulk_insert(table, [{'id': 1, 'value': secrets.randbelow(2**62)}])
    with op.batch_alter_table('pieces', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body_html', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('rendered_with', sa.String(length=80), server_default='', nullable=False))
        batch_op.create_index('ix_pieces_status_published', ['status', 'published_at', 'id'], unique=False)
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rendered_with', sa.String(length=80), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_column('rendered_with')
    with op.batch_alter_table('pieces', schema=None) as batch_op:
        batch_op.drop_index('ix_pieces_status_published')
        batch_op.drop_column('rendered_with')
        batch_op.drop_column('body_html')
    op.drop_table('site_generation')
