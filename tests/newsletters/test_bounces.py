"""Bounces and complaints from a mailbox (VERP) or a signed webhook → suppression list."""

from __future__ import annotations

import json
import mailbox
from email.message import EmailMessage
from io import StringIO

import pytest
from django.core.management import call_command

from akhbar.newsletters import bounces, services, tokens
from akhbar.newsletters.models import Delivery, Edition, Suppression
from tests.newsletters.helpers import digest, readers

pytestmark = pytest.mark.django_db


def sent_edition(n: int = 3) -> tuple[Edition, list]:
    people = readers(n)
    edition = digest()
    from akhbar.newsletters import sending

    sending.start(edition.pk)
    Delivery.objects.filter(edition=edition).update(status="sent")
    return edition, people


def dsn(to: str, status: str) -> bytes:
    """An RFC 3464 delivery status notification as a mail server sends it."""
    return (
        "From: MAILER-DAEMON@mx.example.net\r\n"
        f"To: {to}\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="z"\r\n\r\n'
        "--z\r\nContent-Type: text/plain\r\n\r\nThis is the mail system.\r\n"
        "--z\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.net\r\n\r\n"
        f"Final-Recipient: rfc822; x@example.org\r\nAction: failed\r\nStatus: {status}\r\n"
        "--z--\r\n"
    ).encode()


def test_maildir_bounces_complaints_and_mailed_unsubscribes(tmp_path):
    edition, people = sent_edition(4)
    rows = {d.subscriber_id: d for d in Delivery.objects.filter(edition=edition)}
    box = mailbox.Maildir(str(tmp_path / "bounces"), create=True)
    verp = lambda p: f"{tokens.verp_local(rows[p.pk].pk)}@news.example.org"  # noqa: E731
    box.add(dsn(verp(people[0]), "5.1.1"))
    box.add(dsn(verp(people[1]), "4.2.2"))
    arf = (
        f"To: {verp(people[2])}\r\nSubject: complaint\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=feedback-report; boundary="b"\r\n\r\n'
        "--b\r\nContent-Type: message/feedback-report\r\n\r\nFeedback-Type: abuse\r\n"
        "--b--\r\n"
    )
    box.add(arf.encode())
    unsub = EmailMessage()
    token = services.unsubscribe_token(people[3], edition.newsletter_id)
    unsub["To"] = f"unsubscribe+{token}@news.example.org"
    unsub["Subject"] = "unsubscribe"
    box.add(unsub)
    forged = EmailMessage()
    forged["To"] = "bounces+1-00000000000000000000@news.example.org"
    box.add(forged)
    box.add(b"\xff\xfe not an email at all")

    report = bounces.process_mailbox(tmp_path / "bounces")
    assert (report.bounced, report.soft, report.complaints, report.unsubscribed) == (1, 1, 1, 1)
    assert report.ignored == 2
    assert dict(Suppression.objects.values_list("email", "reason")) == {
        people[0].email: "bounce",
        people[2].email: "complaint",
    }
    assert rows[people[0].pk].__class__.objects.get(pk=rows[people[0].pk].pk).status == "bounced"
    assert Delivery.objects.get(pk=rows[people[2].pk].pk).status == "complained"
    assert services.active_slugs(people[2]) == set()  # a complaint also unsubscribes
    assert services.active_slugs(people[3]) == set()
    assert len(mailbox.Maildir(str(tmp_path / "bounces"))) == 0  # processed mail removed


def test_process_bounces_command_shows_progress_and_a_summary(tmp_path):
    edition, people = sent_edition(2)
    rows = {d.subscriber_id: d for d in Delivery.objects.filter(edition=edition)}
    box = mailbox.Maildir(str(tmp_path / "bounces"), create=True)
    for person, status in zip(people, ("5.1.1", "4.2.2"), strict=True):
        box.add(dsn(f"{tokens.verp_local(rows[person.pk].pk)}@news.example.org", status))
    out, err = StringIO(), StringIO()
    call_command("process_bounces", str(tmp_path / "bounces"), stdout=out, stderr=err)
    assert err.getvalue().splitlines() == [
        "Reading bounce mail: 1/2 (50%)",
        "Reading bounce mail: 2/2 (100%)",
    ]
    assert out.getvalue() == (
        "1 bounced, 1 soft, 0 complaints, 0 unsubscribed, 0 ignored, 0 errors\n"
    )
    assert len(mailbox.Maildir(str(tmp_path / "bounces"))) == 0


def test_signed_webhook(client, settings):
    settings.AKHBAR = {**settings.AKHBAR, "NEWSLETTER_WEBHOOK_SECRET": "s3cret"}
    edition, people = sent_edition(2)
    d = Delivery.objects.filter(edition=edition).order_by("id").first()
    body = json.dumps(
        {
            "events": [
                {"type": "bounce", "delivery": f"{tokens.verp_local(d.pk)}@news.example.org"},
                {"type": "complaint", "email": people[1].email},
                {"type": "nonsense"},
            ]
        }
    ).encode()
    url = "/newsletters/hooks/bounce/"
    assert client.post(url, body, content_type="application/json").status_code == 403
    bad = client.post(
        url, body, content_type="application/json", HTTP_X_AKHBAR_SIGNATURE="sha256=" + "0" * 64
    )
    assert bad.status_code == 403
    ok = client.post(
        url,
        body,
        content_type="application/json",
        HTTP_X_AKHBAR_SIGNATURE=bounces.webhook_signature("s3cret", body),
    )
    assert ok.json() == {"bounced": 1, "soft": 0, "complaints": 1, "ignored": 1}
    assert Suppression.objects.count() == 2
    junk = b"{not json"
    r = client.post(
        url,
        junk,
        content_type="application/json",
        HTTP_X_AKHBAR_SIGNATURE=bounces.webhook_signature("s3cret", junk),
    )
    assert r.status_code == 400


def test_webhook_refused_without_a_secret(client):
    body = b'{"events": []}'
    r = client.post(
        "/newsletters/hooks/bounce/",
        body,
        content_type="application/json",
        HTTP_X_AKHBAR_SIGNATURE=bounces.webhook_signature("", body),
    )
    assert r.status_code == 403


def test_suppressed_reader_is_left_out_of_the_next_edition(smtp):
    _, people = sent_edition(3)
    Suppression.objects.create(email=people[1].email, reason="complaint")
    from akhbar.newsletters import sending

    second = digest()
    sending.send_edition(second.pk)
    assert sorted(m.rcpt for m in smtp.received) == sorted([people[0].email, people[2].email])
