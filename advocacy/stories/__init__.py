"""Stories: writing, identity check, reading, consent the author controls, reports."""
