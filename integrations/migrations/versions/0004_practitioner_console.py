"""practitioner console

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 19:00:00

Browser sign-in sessions for staff; who took a conversation and how it was closed; practitioners' notes.
"""
from alembic import op
import sqlalchemy as sa
import integrations.core.db


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('staff_sessions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('csrf_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', integrations.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', integrations.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', integrations.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', integrations.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['staff_users.id'], name=op.f('fk_staff_sessions_user_id_staff_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_staff_sessions_token_hash'))
    )
    with op.batch_alter_table('staff_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_sessions_user_id'), ['user_id'], unique=False)

    op.create_table('conversation_notes',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('conversation_id', sa.String(length=36), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('author', sa.String(length=80), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', integrations.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_conversation_notes_conversation_id_conversations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation_notes'))
    )
    with op.batch_alter_table('conversation_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversation_notes_conversation_id'), ['conversation_id'], unique=False)

    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assigned_to_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('assigned_to', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('taken_at', integrations.core.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('closed_at', integrations.core.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('closed_by', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('outcome', sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        for column in ('outcome', 'closed_by', 'closed_at', 'taken_at', 'assigned_to', 'assigned_to_id'):
            batch_op.drop_column(column)

    with op.batch_alter_table('conversation_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversation_notes_conversation_id'))
    op.drop_table('conversation_notes')

    with op.batch_alter_table('staff_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_sessions_user_id'))
    op.drop_table('staff_sessions')
