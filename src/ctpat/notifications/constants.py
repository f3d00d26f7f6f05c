"""Numbers and names the notifications app runs on, in one place."""

from datetime import timedelta

# The task queue outgoing e-mail runs on (settings.TASKS["default"]["QUEUES"] must list it).
EMAIL_QUEUE = "email"

# An e-mail is tried this many times before it is marked failed for a CBP admin to requeue.
# Settings CTPAT_EMAIL_MAX_ATTEMPTS and CTPAT_EMAIL_RETRY_BASE_SECONDS override the defaults.
EMAIL_MAX_ATTEMPTS = 8
# Wait before retry n (n = attempts so far): base * 2**(n-1), at most the maximum.
# With 8 attempts that is 1+2+4+8+16+32+60 minutes: about two hours of retrying.
EMAIL_RETRY_BASE_DELAY = timedelta(minutes=1)
EMAIL_RETRY_MAX_DELAY = timedelta(hours=1)
# A queued e-mail whose attempt is this late has lost its task (e.g. the process stopped
# between commit and enqueue); `ctpat worker` and `requeue_emails` enqueue it again.
EMAIL_OVERDUE_AFTER = timedelta(minutes=10)
# A task that runs this little before the e-mail's next attempt is due still counts as due.
EMAIL_DUE_TOLERANCE = timedelta(seconds=5)

# Who may see the outbox and requeue e-mail. The permission table has no e-mail code yet;
# "audit.view_all" is held by exactly the CBP program admins, who read every tenant's records.
OUTBOX_PERMISSION = "audit.view_all"

NOTIFICATION_PAGE_SIZE = 25
OUTBOX_PAGE_SIZE = 50

# Field limits (models and API agree on them).
KIND_MAX_LENGTH = 64
TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 5000
EMAIL_BODY_MAX_LENGTH = 20000
LINK_MAX_LENGTH = 500
DEDUPE_KEY_MAX_LENGTH = 200
SUBJECT_MAX_LENGTH = 300
ERROR_MAX_LENGTH = 2000
