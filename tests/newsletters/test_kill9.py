"""kill -9 in the middle of a digest, then resume: nobody gets the edition twice, and every
reader but (at most) the one whose message was in flight gets it — that one is recorded as
"uncertain", visible in the admin, never silently resent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.deploy.servers import REPO, manage, server_env
from tests.newsletters.smtp_server import SMTPServer

pytestmark = pytest.mark.slow
READERS = 400

POPULATE = f"""
from akhbar.newsletters.models import Edition, NewsletterList, Subscriber, Subscription
from akhbar.newsroom.models import Article, Category
c = Category.objects.create(name="محليات", slug="local")
a = Article.objects.create(title="خبر اليوم", slug="today", status="published", category=c,
                           body="<p>نص الخبر.</p>")
daily = NewsletterList.objects.get(slug="daily")
people = Subscriber.objects.bulk_create(
    [Subscriber(email=f"r{{i}}@example.org", status="confirmed") for i in range({READERS})])
Subscription.objects.bulk_create([Subscription(subscriber=p, newsletter=daily) for p in
                                  Subscriber.objects.all()])
e = Edition.objects.create(newsletter=daily, subject="النشرة", article_ids=[a.pk],
                           status="queued")
print(e.pk)
"""

COUNTS = """
from collections import Counter
from akhbar.newsletters.models import Delivery, Edition
print(dict(Counter(Delivery.objects.values_list("status", flat=True))))
print(Edition.objects.get().status)
"""


def test_kill_minus_nine_and_resume_never_sends_twice(tmp_path: Path, dkim_keys) -> None:
    pem, record = dkim_keys
    smtp = SMTPServer(dkim_record=record).start()
    try:
        env = server_env(
            tmp_path,
            AKHBAR_EMAIL_URL=smtp.url,
            AKHBAR_EMAIL_RATE="120",
            AKHBAR_EMAIL_BATCH="50",
            AKHBAR_NEWSLETTER_FROM="news@news.example.org",
            AKHBAR_DKIM_PRIVATE_KEY=pem.decode(),
            AKHBAR_DKIM_SELECTOR="test",
            AKHBAR_MANIFEST_STATIC="0",
            AKHBAR_TASKS_BACKEND="immediate",
        )
        manage(env, "migrate", "--noinput", "-v", "0")
        edition_id = manage(env, "shell", "-c", POPULATE).strip().splitlines()[-1]
        sender = subprocess.Popen(
            [sys.executable, "manage.py", "send_edition", edition_id],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        smtp.wait_for(120, timeout=60)
        os.kill(sender.pid, signal.SIGKILL)
        sender.wait(timeout=10)
        before = len(smtp.received)
        assert 0 < before < READERS, "the sender should be killed mid-digest"
        time.sleep(0.3)

        env["AKHBAR_EMAIL_CLAIM_TIMEOUT"] = "0"  # the dead sender's claim is abandoned now
        env["AKHBAR_EMAIL_RATE"] = "0"
        manage(env, "send_edition", edition_id)
        counts, status = manage(env, "shell", "-c", COUNTS).strip().splitlines()[-2:]
    finally:
        smtp.stop()
    per_reader = Counter(m.rcpt for m in smtp.received)
    assert max(per_reader.values()) == 1, "a reader got the edition twice"
    statuses = eval(counts)
    assert statuses.get("sent", 0) + statuses.get("uncertain", 0) == READERS
    assert statuses.get("uncertain", 0) <= 1
    assert len(per_reader) >= READERS - 1
    assert status == "sent"
    assert all(m.dkim_ok for m in smtp.received)
