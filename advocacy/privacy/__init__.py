"""Privacy: retention rules, export, deletion and the privacy page."""
