"""stories and accounts: what the mentor is told about the identity check, and moderator care

stories.findings_kept: how many identity-check findings the author saw and chose to keep
when they sent the story for review (0: none found), so the review page can say so. A
count, never the text. Stories sent before this migration keep NULL ("not known").

accounts.opens_stories_in_review: a moderator's choice to have stories open at once on the
review page (false: every story starts closed behind its title and warnings).

Revision ID: 0019_moderation_care
Revises: 0018_ids_never_reused
Create Date: 2026-12-05 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0019_moderation_care"
down_revision = "0018_ids_never_reused"
branch_labels = None
depends_on = None


def upgrade():
    # Columns are added in place (never a rebuild: on SQLite a rebuild would lose the
    # AUTOINCREMENT that 0018 gave these tables).
    with op.batch_alter_table("stories", recreate="never") as batch:
        batch.add_column(sa.Column("findings_kept", sa.Integer(), nullable=True))
    with op.batch_alter_table("accounts", recreate="never") as batch:
        batch.add_column(
            sa.Column(
                "opens_stories_in_review", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )


def downgrade():
    # DROP COLUMN in place (SQLite 3.35+), for the same reason.
    with op.batch_alter_table("accounts", recreate="never") as batch:
        batch.drop_column("opens_stories_in_review")
    with op.batch_alter_table("stories", recreate="never") as batch:
        batch.drop_column("findings_kept")
