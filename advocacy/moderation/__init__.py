"""Moderation: the queue of stories and reports, decisions, and the moderation log."""
