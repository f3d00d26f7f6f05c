"""Human labels for the audit trail's action codes and object types.

Each app declares the labels of the actions it records in ``<app>/audit_labels.py``::

    ACTIONS = {"partner.transition": "Membership status changed", ...}
    OBJECT_TYPES = {"partners.partner": "Partner"}  # optional; default: the verbose name

``CoreConfig.ready()`` loads every installed app's module once at start-up, so labels cost
nothing per row: the audit log shows ``action_label(event.action)`` next to the stored code.
``core/tests/test_audit_labels.py`` reads every ``audit_record(action=…)`` call in the code and
fails for a code without a label, so a new action cannot ship unlabelled.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

MODULE_NAME = "audit_labels"

_ACTIONS: dict[str, str] = {}
_OBJECT_TYPES: dict[str, str] = {}


def register(*, actions: dict[str, str] | None = None, object_types: dict[str, str] | None = None):
    """Add labels; the same code given two different labels is a start-up error."""
    for target, labels, kind in (
        (_ACTIONS, actions or {}, "action"),
        (_OBJECT_TYPES, object_types or {}, "object type"),
    ):
        for code, label in labels.items():
            if not label or not label.strip():
                raise ImproperlyConfigured(f"The audit {kind} {code!r} has an empty label.")
            if target.get(code, label) != label:
                raise ImproperlyConfigured(
                    f"The audit {kind} {code!r} is labelled twice: {target[code]!r} and {label!r}."
                )
            target[code] = label


def load_app_labels() -> None:
    """Import ``<app>.audit_labels`` of every installed app that has one and register it."""
    for app_config in apps.get_app_configs():
        name = f"{app_config.name}.{MODULE_NAME}"
        if find_spec(name) is None:
            continue
        module = import_module(name)
        register(
            actions=getattr(module, "ACTIONS", None),
            object_types=getattr(module, "OBJECT_TYPES", None),
        )


def registered_actions() -> dict[str, str]:
    return dict(_ACTIONS)


def action_label(code: str) -> str:
    """The label of an action code; an unknown code reads as words rather than not at all."""
    code = code or ""
    if code in _ACTIONS:
        return _ACTIONS[code]
    words = code.replace(".", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def object_type_label(object_type: str) -> str:
    """The label of an object type such as ``partners.partner``: a registered label, else the
    model's verbose name (no database query), else the code itself."""
    object_type = object_type or ""
    if object_type in _OBJECT_TYPES:
        return _OBJECT_TYPES[object_type]
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    name = str(model._meta.verbose_name)
    return name[:1].upper() + name[1:]
