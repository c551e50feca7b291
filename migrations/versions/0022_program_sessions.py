"""programs: sessions a member with a place follows at their own pace, and which they marked done

program_sessions holds what staff write (title, Markdown body, an optional prompt to
think about and an optional estimate in minutes), in order within the program.
session_progress holds only that an enrollment marked a session done: no text, no time.
It hangs off the enrollment (ON DELETE CASCADE), so it goes whenever the place goes:
withdrawal, a declined request, the account's deletion and the enrollment purge.

Revision ID: 0022_program_sessions
Revises: 0021_report_reasons
Create Date: 2026-12-05 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022_program_sessions'
down_revision = '0021_report_reasons'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('program_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('prompt', sa.Text(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('program_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_program_sessions_order', ['program_id', 'position', 'id'], unique=False)

    op.create_table('session_progress',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['program_sessions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('enrollment_id', 'session_id', name='uq_session_progress_enrollment')
    )
    with op.batch_alter_table('session_progress', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_progress_session_id'), ['session_id'], unique=False)


def downgrade():
    with op.batch_alter_table('session_progress', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_progress_session_id'))
    op.drop_table('session_progress')
    with op.batch_alter_table('program_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_program_sessions_order')
    op.drop_table('program_sessions')
