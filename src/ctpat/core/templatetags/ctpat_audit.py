"""Labels for audit events in templates: ``{{ event.action|action_label }}``,
``{{ event.object_type|object_type_label }}`` (ctpat.core.audit_labels; no queries)."""

from django import template

from ctpat.core import audit_labels

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    return audit_labels.action_label(code)


@register.filter
def object_type_label(object_type: str) -> str:
    return audit_labels.object_type_label(object_type)
