"""Staff tools and administration: reset codes, roles, the audit log."""
