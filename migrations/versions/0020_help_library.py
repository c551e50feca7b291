"""help library: resources staff keep, and the words of their titles and summaries

help_resources holds each resource (a page of our own in Markdown, an https link to
another site, or both) with its topic, language, area and whether visitors see it;
nothing in it is about a person, and no column links to an account. help_words holds the
distinct words of each title and summary (NFKC, casefolded, 40 characters at most), keyed
(word, resource_id): the search reads a word's prefix as a range on that key, so on
PostgreSQL the column compares by code point (COLLATE "C"), as SQLite's BINARY does.

Revision ID: 0020_help_library
Revises: 0019_moderation_care
Create Date: 2026-12-05 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020_help_library'
down_revision = '0019_moderation_care'
branch_labels = None
depends_on = None

WORD = sa.String(length=40).with_variant(sa.String(length=40, collation='C'), 'postgresql')


def upgrade():
    op.create_table('help_resources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('outside_url', sa.String(length=500), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('area', sa.String(length=80), nullable=False),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('help_resources', schema=None) as batch_op:
        batch_op.create_index('ix_help_resources_updated_at_id', ['updated_at', 'id'], unique=False)
        batch_op.create_index('ix_help_resources_category_updated_at', ['category', 'updated_at', 'id'], unique=False)
        batch_op.create_index('ix_help_resources_language_updated_at', ['language', 'updated_at', 'id'], unique=False)
        batch_op.create_index('ix_help_resources_area', ['area'], unique=False)

    op.create_table('help_words',
    sa.Column('word', WORD, nullable=False),
    sa.Column('resource_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['resource_id'], ['help_resources.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('word', 'resource_id')
    )
    with op.batch_alter_table('help_words', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_help_words_resource_id'), ['resource_id'], unique=False)


def downgrade():
    with op.batch_alter_table('help_words', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_help_words_resource_id'))
    op.drop_table('help_words')
    with op.batch_alter_table('help_resources', schema=None) as batch_op:
        batch_op.drop_index('ix_help_resources_area')
        batch_op.drop_index('ix_help_resources_language_updated_at')
        batch_op.drop_index('ix_help_resources_category_updated_at')
        batch_op.drop_index('ix_help_resources_updated_at_id')
    op.drop_table('help_resources')
