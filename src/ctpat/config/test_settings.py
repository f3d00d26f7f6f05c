"""Settings for the test suite: the production settings with CTPAT_TESTING on."""

import atexit as _atexit
import os
import shutil as _shutil
import tempfile as _tempfile
from pathlib import Path as _Path

os.environ["CTPAT_TESTING"] = "true"

from .settings import *

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only, tests only

# The suite sends thousands of API requests as a handful of users within a minute.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min"},
}

# SQLite tests use a database file, not Django's default shared in-memory one: the live server of
# the browser tests answers requests on several threads at once, and with an in-memory database
# they would all share the test thread's one connection (concurrent queries on one SQLite
# connection interleave). With a file each thread has its own connection, as in production.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    import tempfile
    from pathlib import Path

    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.mkdtemp(prefix="ctpat-tests-")) / "test.sqlite3")
    }

# Files a test uploads without a MEDIA_ROOT of its own land in a temporary folder, never in the
# checkout's data folder.
MEDIA_ROOT = _Path(_tempfile.mkdtemp(prefix="ctpat-test-media-"))
_atexit.register(_shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
