"""gunicorn settings of the baseline: the product's own (gunicorn.conf.py at the top of the
repository, read from that file, so workers, threads, worker class, timeouts and limits
always match), without its hooks, which install the product's error page and log filter."""

import runpy
from pathlib import Path

_product = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
globals().update(
    {
        name: value
        for name, value in _product.items()
        if not name.startswith("_") and isinstance(value, int | float | str | bool | type(None))
    }
)
