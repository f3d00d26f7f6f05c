"""Settings for the test suite: the production settings with CTPAT_TESTING on."""

import os

os.environ["CTPAT_TESTING"] = "true"

from .settings import *

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only, tests only

# The suite sends thousands of API requests as a handful of users within a minute.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min"},
}
