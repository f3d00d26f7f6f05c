"""Settings for the test suite: the production settings with CTPAT_TESTING on."""

import os

os.environ["CTPAT_TESTING"] = "true"

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only, tests only
