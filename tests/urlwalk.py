"""Walk the URL conf so tests cover every route, including ones added later."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str  # fully namespaced url name
    path: str  # the pattern as text, for messages and resource lookup
    kwargs: tuple[str, ...]


def _kwarg_names(pattern) -> list[str]:
    text = str(pattern)
    names = re.findall(r"<(?:\w+:)?(\w+)>", text)
    names += re.findall(r"\(\?P<(\w+)>", text)
    return names


def iter_routes(
    resolver: URLResolver | None = None,
    prefix: str = "",
    namespace: str = "",
    kwargs: tuple[str, ...] = (),
):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from iter_routes(
                entry, prefix + str(entry.pattern), ns, kwargs + tuple(_kwarg_names(entry.pattern))
            )
        elif isinstance(entry, URLPattern):
            if not entry.name:
                continue  # listed by unnamed_routes(): a route we cannot reverse is untested
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield Route(
                name=name,
                path=prefix + str(entry.pattern),
                kwargs=kwargs + tuple(_kwarg_names(entry.pattern)),
            )


def resource_before(path: str, kwarg: str) -> str:
    """The path segment just before ``kwarg`` (e.g. 'partners' in 'api/partners/<pk>/')."""
    text = re.sub(r"[\^\$\\]", "", path)
    match = re.search(r"([\w-]+)/(?:\(\?P<|<(?:\w+:)?)" + kwarg, text)
    return match.group(1) if match else ""


def unnamed_routes(
    resolver: URLResolver | None = None, prefix: str = "", kwargs: tuple[str, ...] = ()
) -> list[Route]:
    """Routes without a name (``name`` is empty): ``iter_routes`` cannot reverse them, so no
    walk covers them until they are named."""
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            found += unnamed_routes(
                entry, prefix + str(entry.pattern), kwargs + tuple(_kwarg_names(entry.pattern))
            )
        elif isinstance(entry, URLPattern) and not entry.name:
            path = prefix + str(entry.pattern)
            found.append(Route("", path, kwargs + tuple(_kwarg_names(entry.pattern))))
    return found
