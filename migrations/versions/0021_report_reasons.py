"""story reports: the reasons a member can give, in a trauma-informed voice; the log
records the content warnings a mentor adds after reports

story_reports.category moves to the new reasons (stories/models.py ReportCategory):

    identifies       -> private_details  the same concern: details that identify someone
    missing_warning  -> missing_warning  unchanged
    harmful          -> harassment       "hurtful or unsafe" was the one reason about harm
                                         to people; its nearest is "harassment or hate"
    not_true         -> other            disbelief is no longer a reason to report; a
                                         migration must not decide on an open report (only a
                                         mentor decides, and the reporter is told), so it
                                         stays open as "something else", with its note
    other            -> other

moderation_entries.warnings (JSON, NULL) holds the warnings added by a "warning added
after reports" decision.

Downgrade: private_details -> identifies, harassment -> harmful, spam -> other (the old
reasons had no spam); "not_true" cannot be told apart from "other" any more and stays
"other". Reports decided with the new outcomes read as "kept" (the story stayed up), and
notices of the kinds the old code cannot word are deleted (it would fail to show them).

Revision ID: 0021_report_reasons
Revises: 0020_help_library
Create Date: 2026-12-05 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0021_report_reasons"
down_revision = "0020_help_library"
branch_labels = None
depends_on = None

UP = {
    "identifies": "private_details",
    "harmful": "harassment",
    "not_true": "other",
}
DOWN = {
    "private_details": "identifies",
    "harassment": "harmful",
    "spam": "other",
}
NEW_OUTCOMES = ("warning_added", "changes_requested")
NEW_NOTICE_KINDS = (
    "story_taken_down",
    "story_warning_added",
    "story_changes_after_report",
    "report_outcome_warning_added",
    "report_outcome_changes_requested",
)

story_reports = sa.table(
    "story_reports", sa.column("category", sa.String), sa.column("outcome", sa.String)
)
notices = sa.table("notices", sa.column("kind", sa.String))


def move(mapping: dict[str, str]) -> None:
    connection = op.get_bind()
    for old, new in mapping.items():
        connection.execute(
            story_reports.update().where(story_reports.c.category == old).values(category=new)
        )


def upgrade():
    move(UP)
    with op.batch_alter_table("moderation_entries") as batch:
        batch.add_column(sa.Column("warnings", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("moderation_entries") as batch:
        batch.drop_column("warnings")
    move(DOWN)
    connection = op.get_bind()
    connection.execute(
        story_reports.update()
        .where(story_reports.c.outcome.in_(NEW_OUTCOMES))
        .values(outcome="kept")
    )
    connection.execute(notices.delete().where(notices.c.kind.in_(NEW_NOTICE_KINDS)))
