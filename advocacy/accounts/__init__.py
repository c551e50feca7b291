"""Accounts: pseudonymous sign-up, sign-in, sessions and quick exit."""
