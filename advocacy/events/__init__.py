"""Peer-support events: scheduling, RSVPs with a private waitlist, venues for the confirmed."""
