"""Entry point for gunicorn: `gunicorn -c gunicorn.conf.py wsgi:app`."""

import gc

from advocacy import create_app

app = create_app()
# Everything made at start-up (modules, the app, its extensions: some 130,000 objects)
# lives as long as the process: keep it out of the collector's full collections, which
# otherwise walk it all, 50-70 ms at a time, in the middle of some request (issue 17).
gc.freeze()
