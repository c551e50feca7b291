"""account safety: pause, posting stops, four-eyes reset codes, retired names

Revision ID: 0007_account_safety
Revises: 0006_retention
Create Date: 2026-11-29 15:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_account_safety'
down_revision = '0006_retention'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('paused_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('posting_stopped_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('refuses_staff_resets', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('reset_codes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('issued_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('approved_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_reset_codes_issued_by_id'), ['issued_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reset_codes_approved_by_id'), ['approved_by_id'], unique=False)
        batch_op.create_foreign_key('fk_reset_codes_issued_by_id_accounts', 'accounts', ['issued_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key('fk_reset_codes_approved_by_id_accounts', 'accounts', ['approved_by_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('approver_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_audit_entries_approver_id'), ['approver_id'], unique=False)
        batch_op.create_foreign_key('fk_audit_entries_approver_id_accounts', 'accounts', ['approver_id'], ['id'], ondelete='SET NULL')

    op.create_table('retired_names',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('retired_until', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key_hash')
    )
    with op.batch_alter_table('retired_names', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_retired_names_retired_until'), ['retired_until'], unique=False)


def downgrade():
    with op.batch_alter_table('retired_names', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_retired_names_retired_until'))
    op.drop_table('retired_names')

    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_constraint('fk_audit_entries_approver_id_accounts', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_audit_entries_approver_id'))
        batch_op.drop_column('approver_id')

    with op.batch_alter_table('reset_codes', schema=None) as batch_op:
        batch_op.drop_constraint('fk_reset_codes_approved_by_id_accounts', type_='foreignkey')
        batch_op.drop_constraint('fk_reset_codes_issued_by_id_accounts', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_reset_codes_approved_by_id'))
        batch_op.drop_index(batch_op.f('ix_reset_codes_issued_by_id'))
        batch_op.drop_column('approved_at')
        batch_op.drop_column('approved_by_id')
        batch_op.drop_column('issued_by_id')

    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_column('refuses_staff_resets')
        batch_op.drop_column('posting_stopped_until')
        batch_op.drop_column('paused_at')
