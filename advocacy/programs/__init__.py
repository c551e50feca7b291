"""Healing and leadership programs: enrollment, waiting list, roster, completion."""
