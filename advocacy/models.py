"""Every domain's models in one import, for Alembic and `flask shell`. No definitions here."""
