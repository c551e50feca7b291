"""pseudonym keys become look-alike skeletons

Every account's pseudonym_key is recomputed with the look-alike key (UTS #39
skeleton, separators folded). Two existing accounts that now share a key: the older
keeps it, the newer gets "<key>#<id>", which no typed name can reach, so the
look-alike cannot sign in by that name until staff give it a new one.

Revision ID: 0008_pseudonym_skeleton
Revises: 0007_account_safety
Create Date: 2026-12-01 10:00:00

"""
import unicodedata

from alembic import op
import sqlalchemy as sa

from advocacy.accounts.policy import pseudonym_key

# revision identifiers, used by Alembic.
revision = '0008_pseudonym_skeleton'
down_revision = '0007_account_safety'
branch_labels = None
depends_on = None

KEY_MAX = 120
accounts = sa.table(
    'accounts',
    sa.column('id', sa.Integer),
    sa.column('pseudonym', sa.String),
    sa.column('pseudonym_key', sa.String),
)


def rekey(key_of) -> int:
    """Give every account key_of(pseudonym), oldest first; return how many collided."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(accounts.c.id, accounts.c.pseudonym).order_by(accounts.c.id)
    ).all()
    # First a placeholder per row, so no new key meets an old one still in place.
    connection.execute(
        sa.update(accounts).values(
            pseudonym_key=sa.literal('#migrating#') + sa.cast(accounts.c.id, sa.String)
        )
    )
    seen, collided = set(), 0
    for account_id, pseudonym in rows:
        key = key_of(pseudonym)
        if key in seen:
            suffix = f'#{account_id}'
            key = key[: KEY_MAX - len(suffix)] + suffix
            collided += 1
        seen.add(key)
        connection.execute(
            sa.update(accounts).where(accounts.c.id == account_id).values(pseudonym_key=key)
        )
    return collided


def upgrade():
    collided = rekey(pseudonym_key)
    # A count only: names stay out of logs.
    if collided:
        print(f'0008: {collided} look-alike account(s) can no longer sign in by name.')


def downgrade():
    rekey(lambda pseudonym: unicodedata.normalize('NFKC', pseudonym).strip().casefold())
