"""trusted outcomes: result imports, judgements kept as evidence, crosswalks, framework versions

Revision ID: 0007_trusted_outcomes
Revises: 0006_evaluations
Create Date: 2026-12-05 08:06:14.212043

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

OUTCOME_COLUMN = postgresql.ENUM(name='outcome', create_type=False).with_variant(
    sa.Enum('met', 'improved', 'unchanged', 'fell', name='outcome'), 'sqlite')


# revision identifiers, used by Alembic.
revision = '0007_trusted_outcomes'
down_revision = '0006_evaluations'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('result_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('is_synthetic', sa.Boolean(), nullable=False),
    sa.Column('added', sa.Integer(), nullable=False),
    sa.Column('changed', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_result_imports_actor_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_result_imports'))
    )
    op.create_table('crosswalk_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('from_indicator_id', sa.Integer(), nullable=False),
    sa.Column('to_indicator_id', sa.Integer(), nullable=False),
    sa.Column('note_id', sa.Text(), nullable=False),
    sa.Column('note_en', sa.Text(), nullable=False),
    sa.Column('is_provisional', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['from_indicator_id'], ['indicators.id'], name=op.f('fk_crosswalk_links_from_indicator_id_indicators'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['to_indicator_id'], ['indicators.id'], name=op.f('fk_crosswalk_links_to_indicator_id_indicators'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crosswalk_links')),
    sa.UniqueConstraint('from_indicator_id', 'to_indicator_id', name=op.f('uq_crosswalk_links_from_indicator_id'))
    )
    with op.batch_alter_table('crosswalk_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crosswalk_links_from_indicator_id'), ['from_indicator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crosswalk_links_to_indicator_id'), ['to_indicator_id'], unique=False)

    op.create_table('judgements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commitment_id', sa.Integer(), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=True),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.Column('framework_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('outcome', OUTCOME_COLUMN, nullable=False),
    sa.Column('previous_outcome', OUTCOME_COLUMN, nullable=True),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('is_synthetic', sa.Boolean(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['commitment_id'], ['commitments.id'], name=op.f('fk_judgements_commitment_id_commitments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluations.id'], name=op.f('fk_judgements_evaluation_id_evaluations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['framework_id'], ['frameworks.id'], name=op.f('fk_judgements_framework_id_frameworks')),
    sa.ForeignKeyConstraint(['import_id'], ['result_imports.id'], name=op.f('fk_judgements_import_id_result_imports'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_judgements'))
    )
    with op.batch_alter_table('judgements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_judgements_commitment_id'), ['commitment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_judgements_is_current'), ['is_current'], unique=False)

    with op.batch_alter_table('commitment_targets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('baseline_evaluation_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_commitment_targets_baseline_evaluation_id_evaluations'), 'evaluations', ['baseline_evaluation_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_recorded_after', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('evaluations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('import_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_evaluations_import_id'), ['import_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_evaluations_import_id_result_imports'), 'result_imports', ['import_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('frameworks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('replaces_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_frameworks_replaces_id_frameworks'), 'frameworks', ['replaces_id'], ['id'], ondelete='SET NULL')
    for table, column in (('commitments', 'is_recorded_after'), ('frameworks', 'source'), ('frameworks', 'version')):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(column, server_default=None)
    _keep_what_is_stored()


def _keep_what_is_stored():
    """Stored results get one import per source; judged commitments get their judgement; predicates are read
    from the index as shown (two decimals, or the published index)."""
    bind = op.get_bind()
    for source, synthetic in bind.execute(sa.text('SELECT DISTINCT source, is_synthetic FROM evaluations')).all():
        new_id = bind.execute(sa.text(
            'INSERT INTO result_imports (source, filename, is_synthetic, added, changed, created_at) '
            'SELECT CAST(:source AS VARCHAR(300)), \'\', CAST(:synthetic AS BOOLEAN), COUNT(*), 0, MIN(imported_at) '
            'FROM evaluations '
            'WHERE source = :source AND is_synthetic = :synthetic RETURNING id'),
            {'source': source, 'synthetic': synthetic}).scalar()
        bind.execute(sa.text('UPDATE evaluations SET import_id = :id WHERE source = :source AND is_synthetic = :synthetic'),
                     {'id': new_id, 'source': source, 'synthetic': synthetic})
    bind.execute(sa.text(
        'INSERT INTO judgements (commitment_id, evaluation_id, import_id, framework_id, year, outcome, reason, '
        'is_current, is_synthetic, details, created_at) '
        'SELECT c.id, e.id, e.import_id, e.framework_id, c.outcome_year, c.outcome, \'first\', :yes, e.is_synthetic, '
        '\'[]\', e.imported_at FROM commitments c JOIN evaluations e ON e.regency_code = c.regency_code '
        'AND e.year = c.outcome_year WHERE c.outcome IS NOT NULL'), {'yes': True})
    shown = 'ROUND(COALESCE(evaluations.published_index, evaluations.computed_index), 2)'
    for column in ('name_id', 'name_en'):
        target = 'predicate_id' if column == 'name_id' else 'predicate_en'
        bind.execute(sa.text(
            f'UPDATE evaluations SET {target} = COALESCE((SELECT b.{column} FROM predicate_bands b '
            f'WHERE b.framework_id = evaluations.framework_id AND b.min_index <= {shown} '
            f'ORDER BY b.min_index DESC LIMIT 1), \'\')'))


def downgrade():
    with op.batch_alter_table('frameworks', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_frameworks_replaces_id_frameworks'), type_='foreignkey')
        batch_op.drop_column('replaces_id')
        batch_op.drop_column('version')
        batch_op.drop_column('source')

    with op.batch_alter_table('evaluations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_evaluations_import_id_result_imports'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_evaluations_import_id'))
        batch_op.drop_column('import_id')

    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.drop_column('is_recorded_after')

    with op.batch_alter_table('commitment_targets', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_commitment_targets_baseline_evaluation_id_evaluations'), type_='foreignkey')
        batch_op.drop_column('baseline_evaluation_id')

    with op.batch_alter_table('judgements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_judgements_is_current'))
        batch_op.drop_index(batch_op.f('ix_judgements_commitment_id'))

    op.drop_table('judgements')
    with op.batch_alter_table('crosswalk_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crosswalk_links_to_indicator_id'))
        batch_op.drop_index(batch_op.f('ix_crosswalk_links_from_indicator_id'))

    op.drop_table('crosswalk_links')
    op.drop_table('result_imports')
