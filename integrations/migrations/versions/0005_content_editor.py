"""content editor

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 19:00:00

The comms content editor: shared drafts, and every published change as a version (who, when, before and after).
"""
from alembic import op
import sqlalchemy as sa
import integrations.core.db


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('content_drafts',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('data', sa.JSON(), nullable=True),
    sa.Column('base', sa.JSON(), nullable=True),
    sa.Column('author', sa.String(length=80), nullable=False),
    sa.Column('updated_at', integrations.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_drafts')),
    sa.UniqueConstraint('kind', 'key', name=op.f('uq_content_drafts_kind'))
    )
    op.create_table('content_versions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('author', sa.String(length=80), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('at', integrations.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('rollback_of', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_versions'))
    )
    with op.batch_alter_table('content_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_content_versions_at'), ['at'], unique=False)

    op.create_table('content_changes',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['version_id'], ['content_versions.id'], name=op.f('fk_content_changes_version_id_content_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_changes'))
    )
    with op.batch_alter_table('content_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_content_changes_version_id'), ['version_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('content_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_content_changes_version_id'))

    op.drop_table('content_changes')
    with op.batch_alter_table('content_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_content_versions_at'))

    op.drop_table('content_versions')
    op.drop_table('content_drafts')
