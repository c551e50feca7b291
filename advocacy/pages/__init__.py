"""Pages every visitor can read: home, safety, health check."""
