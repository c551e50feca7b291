"""In-app notices: decisions, enrollment changes, waitlist promotions, event changes."""
