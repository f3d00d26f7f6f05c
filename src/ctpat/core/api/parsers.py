"""The API reads JSON; file uploads read multipart/form-data. Anything else is a 415."""

from __future__ import annotations

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's strict JSON parser, also refusing documents nested too deeply to decode."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            # A megabyte of "[[[[…" exhausts the decoder's recursion limit: bad input, not a 500.
            raise ParseError("JSON parse error - the document is nested too deeply.") from exc


class MultiPartParser(parsers.MultiPartParser):
    """multipart/form-data, for the upload endpoints only (each names it in its action).

    Django's upload handlers stream the file to a temporary file; the request-size middleware
    has already refused a body over ``CTPAT_UPLOAD_MAX_REQUEST_BYTES``.
    """


UPLOAD_PARSERS = [MultiPartParser]
