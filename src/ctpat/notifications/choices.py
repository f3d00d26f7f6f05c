from django.db import models


class EmailStatus(models.TextChoices):
    """Where an outgoing e-mail is. ``queued`` covers "waiting for its next attempt" too."""

    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
