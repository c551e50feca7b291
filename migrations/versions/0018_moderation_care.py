"""stories and accounts: what the mentor is told about the identity check, and moderator care

stories.findings_kept: how many identity-check findings the author saw and chose to keep
when they sent the story for review (0: none found), so the review page can say so. A
count, never the text. Stories sent before this migration keep NULL ("not known").

accounts.opens_stories_in_review: a moderator's choice to have stories open at once on the
review page (false: every story starts closed behind its title and warnings).

Revision ID: 0018_moderation_care
Revises: 0017_recurrence_rules
Create Date: 2026-12-05 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0018_moderation_care"
down_revision = "0017_recurrence_rules"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("stories") as batch:
        batch.add_column(sa.Column("findings_kept", sa.Integer(), nullable=True))
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(
            sa.Column(
                "opens_stories_in_review", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )


def downgrade():
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("opens_stories_in_review")
    with op.batch_alter_table("stories") as batch:
        batch.drop_column("findings_kept")
