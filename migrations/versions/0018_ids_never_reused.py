"""ids a link carries are never reused; a notice about a story records which story

SQLite, without AUTOINCREMENT, gives a new row the largest id in use plus one, so after the
newest story is withdrawn the next story written gets its id, and an old link (a notice, a
bookmark, a calendar's UID) opens someone else's. The tables whose ids an address carries
(accounts, invites, reset_codes, stories, notices, programs, enrollments, occurrences) or
a calendar names (events) are made anew with AUTOINCREMENT on SQLite (batch mode copies
each table, keeping every row, index and key; foreign keys are off meanwhile, see env.py).
The next id then follows the largest id the table holds now. On PostgreSQL nothing to do:
sequences never go back.

notices.story_id (NULL, ON DELETE CASCADE) records the story a notice is about, so the
notice goes with the story however it goes. Existing notices are tied as far as they can
be: those linking to /stories/<id> (or its edit page) to that story; "not published"
notices (linking to /stories/mine) to the author's story of the title they name, its
working or published title. One that names a story no longer there (withdrawn, deleted,
purged) is deleted: it is the title that story left behind. Report outcomes that name no
story are left as they are.

Downgrade drops notices.story_id and makes the tables anew without AUTOINCREMENT.

Revision ID: 0018_ids_never_reused
Revises: 0017_recurrence_rules
Create Date: 2026-12-05 10:00:00

"""
import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018_ids_never_reused'
down_revision = '0017_recurrence_rules'
branch_labels = None
depends_on = None

# notices first: it is made anew with its new column anyway.
NEVER_REUSED = (
    'notices',
    'accounts',
    'invites',
    'reset_codes',
    'stories',
    'programs',
    'enrollments',
    'events',
    'occurrences',
)
STORY_FK = 'fk_notices_story_id_stories'
STORY_LINK = re.compile(r'^/stories/(\d+)(?:/edit)?$')
# Kinds that link to their story, and the kind that names it by title only.
LINKING = ('story_approved', 'story_changes_requested', 'report_outcome', 'report_outcome_kept')
BY_TITLE = 'story_declined'

notices = sa.table(
    'notices',
    sa.column('id', sa.Integer),
    sa.column('account_id', sa.Integer),
    sa.column('kind', sa.String),
    sa.column('params', sa.JSON),
    sa.column('link', sa.String),
    sa.column('story_id', sa.Integer),
)
stories = sa.table(
    'stories',
    sa.column('id', sa.Integer),
    sa.column('author_id', sa.Integer),
    sa.column('title', sa.String),
    sa.column('published_title', sa.String),
)


def on_sqlite() -> bool:
    return op.get_bind().dialect.name == 'sqlite'


def story_of(notice, found: dict) -> int | None:
    """The id of the story a notice is about, if it is still there."""
    _id, account_id, kind, params, link = notice
    match = STORY_LINK.match(link or '')
    if match:
        story_id = int(match.group(1))
        return story_id if story_id in found else None
    title = (params or {}).get('title')
    candidates = [
        story_id
        for story_id, (author_id, titles) in found.items()
        if author_id == account_id and title in titles
    ]
    return min(candidates) if candidates else None


def tie_story_notices(connection) -> None:
    """Set notices.story_id where the story is known; delete the notices naming a story
    that is gone."""
    found = {
        story_id: (author_id, {title, published_title})
        for story_id, author_id, title, published_title in connection.execute(
            sa.select(stories.c.id, stories.c.author_id, stories.c.title, stories.c.published_title)
        )
    }
    rows = connection.execute(
        sa.select(
            notices.c.id, notices.c.account_id, notices.c.kind, notices.c.params, notices.c.link
        ).where(notices.c.kind.in_((*LINKING, BY_TITLE)))
    ).all()
    for notice in rows:
        story_id = story_of(notice, found)
        names_a_story = STORY_LINK.match(notice.link or '') or notice.kind == BY_TITLE
        if story_id is not None:
            connection.execute(
                notices.update().where(notices.c.id == notice.id).values(story_id=story_id)
            )
        elif names_a_story:
            connection.execute(notices.delete().where(notices.c.id == notice.id))


def upgrade():
    sqlite = on_sqlite()
    remake = {'recreate': 'always', 'table_kwargs': {'sqlite_autoincrement': True}}
    with op.batch_alter_table('notices', **(remake if sqlite else {})) as batch_op:
        batch_op.add_column(sa.Column('story_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_notices_story_id', ['story_id'], unique=False)
        batch_op.create_foreign_key(
            STORY_FK, 'stories', ['story_id'], ['id'], ondelete='CASCADE'
        )
    tie_story_notices(op.get_bind())
    if not sqlite:
        return
    for table in NEVER_REUSED[1:]:
        with op.batch_alter_table(table, **remake):
            pass


def downgrade():
    sqlite = on_sqlite()
    if sqlite:
        # Made anew from what SQLite reports, which never includes AUTOINCREMENT.
        for table in NEVER_REUSED[1:]:
            with op.batch_alter_table(table, recreate='always'):
                pass
    with op.batch_alter_table('notices', **({'recreate': 'always'} if sqlite else {})) as batch_op:
        batch_op.drop_constraint(STORY_FK, type_='foreignkey')
        batch_op.drop_index('ix_notices_story_id')
        batch_op.drop_column('story_id')
