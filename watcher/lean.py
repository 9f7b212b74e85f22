"""Imports for the long-running service that leave out optional packages it never uses.

Datasette's bundled unit library (pint) imports dask.array, and sqlite-utils imports pandas,
whenever they are installed, to accept arrays and DataFrames that this service never passes
them: most of 100 MB of the ``serve`` process's memory. ``without`` imports modules while those
packages look absent; afterwards they are importable again, so code that needs one (a Parquet
export, a Dask cluster) loads it when it is used. numpy is not among them: the service's own
search and text code use it.
"""

from __future__ import annotations

import importlib
import sys

# Packages the service's own code never needs at start-up; imported by others only if present.
OPTIONAL = ("pandas", "pyarrow", "dask", "scipy")


def without(modules, optional=OPTIONAL) -> None:
    """Import ``modules`` with ``optional`` packages hidden. A package imported already stays:
    hiding it would change nothing, and removing it would break whoever holds it."""
    hidden = [name for name in optional if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # `import name` now raises ImportError, as if not installed
    try:
        for module in modules:
            importlib.import_module(module)
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
