"""The service's imports leave out pandas, pyarrow, dask and scipy, which stay importable for code that needs them."""

import subprocess
import sys

from conftest import ROOT

CHECK = """
import sys
from watcher.lean import without

without(["sqlite_utils", "datasette.app"])
loaded = sorted(name for name in ("pandas", "pyarrow", "dask", "scipy") if sys.modules.get(name))
import sqlite_utils.db
print(loaded, sqlite_utils.db.pd is None)
import pandas, numpy
print(pandas.DataFrame({"a": [1, 2]}).a.sum(), numpy.arange(3).sum())
"""


def test_service_imports_without_numeric_packages_which_still_import_afterwards():
    out = subprocess.run([sys.executable, "-c", CHECK], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.split("\n")[:2] == ["[] True", "3 3"]


def test_a_package_imported_already_is_left_alone():
    code = "import pandas, sys\nfrom watcher.lean import without\nwithout(['sqlite_utils'])\nimport sqlite_utils.db\nprint(sqlite_utils.db.pd is pandas)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "True"
