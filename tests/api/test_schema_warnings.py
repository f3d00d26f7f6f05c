"""The OpenAPI schema generates without a warning: two apps' serializers or choice sets with the
same name would otherwise silently share (or swap) a component, and clients would read one app's
fields under another's name."""

from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_openapi_schema_validates_and_has_no_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert out.stat().st_size > 10_000
