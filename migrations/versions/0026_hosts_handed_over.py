"""audit_entries: a hand-over by nobody is "hosts_handed_over"

When a deleted account's programs and events go to an admin, the log said
"hosts_taken_over" both when the admin removing the account took them and when it
happened by itself (its owner or the purge deleted it; no actor). Once that admin was
deleted too, the two looked the same and the page said "by itself" for both. By-itself
hand-overs now have an action of their own (advocacy/staff/handover.py); the entries
already written whose admin is still there (no actor, an account named) are renamed.
An entry whose actor and admin are both gone cannot be told apart and stays as it is,
shown as by a deleted account. Downgrade gives back the one action.

Revision ID: 0026_hosts_handed_over
Revises: 0025_role_changes_in_words
Create Date: 2026-12-01 02:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0026_hosts_handed_over'
down_revision = '0025_role_changes_in_words'
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        "UPDATE audit_entries SET action = 'hosts_handed_over'"
        " WHERE action = 'hosts_taken_over' AND actor_id IS NULL AND target_id IS NOT NULL"
    )


def downgrade():
    op.execute(
        "UPDATE audit_entries SET action = 'hosts_taken_over' WHERE action = 'hosts_handed_over'"
    )
