"""Sending editions over SMTP to a real server (aiosmtpd) that verifies every DKIM signature,
and misbehaves: refuses, asks to retry, stalls, hangs up mid-batch."""

from __future__ import annotations

import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from akhbar.newsletters import mailer, sending, tokens
from akhbar.newsletters.models import Delivery, Edition, Suppression
from tests.newsletters.helpers import digest, readers

pytestmark = pytest.mark.django_db


def test_digest_reaches_every_reader_once_signed_and_with_list_headers(smtp):
    people = readers(25)
    edition = digest()
    progress = sending.send_edition(edition.pk)
    assert progress.sent == 25
    edition.refresh_from_db()
    assert edition.status == "sent" and edition.sent_at
    assert Counter(m.rcpt for m in smtp.received) == Counter(p.email for p in people)
    for mail in smtp.received:
        assert mail.dkim_ok is True, "DKIM signature did not verify"
        msg = mail.message
        assert re.fullmatch(
            rf"<{edition.pk}\.\d+\.[0-9a-f]{{12}}@news\.example\.org>", msg["Message-ID"]
        )
        assert msg["Date"]
        assert msg["List-Id"].endswith("<daily.news.example.org>")
        assert msg["Precedence"] == "bulk"
        assert msg["Feedback-ID"] == f"edition{edition.pk}:daily:newsletter:akhbar"
        assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        https, mailto = [x.strip(" <>") for x in msg["List-Unsubscribe"].split(",")]
        assert https.startswith("https://news.example.org/newsletters/u/")
        assert mailto.startswith("mailto:unsubscribe+") and "@news.example.org" in mailto
        assert msg["Subject"] == edition.subject
        # VERP: the envelope sender names this delivery.
        local = mail.mail_from.split("@")[0]
        delivery = Delivery.objects.get(pk=tokens.read_verp(local))
        assert delivery.subscriber.email == mail.rcpt
        assert https in mail.part("html") and https in mail.part("plain")
        # 8BITMIME (the server offers it): UTF-8 lines as they are, none over RFC 5322's 998.
        assert b"Content-Transfer-Encoding: 8bit" in mail.raw
        assert max(len(line) for line in mail.raw.split(b"\r\n")) <= 998
        assert "ملخص الخبر رقم 0" in mail.part("plain")
    # Running it again sends nothing more.
    assert sending.send_edition(edition.pk).sent == 0
    assert len(smtp.received) == 25


def test_refused_recipient_is_suppressed_and_the_rest_delivered(smtp):
    people = readers(5)
    smtp.behaviour.refuse = {people[2].email}
    edition = digest()
    progress = sending.send_edition(edition.pk)
    assert (progress.sent, progress.failed) == (4, 1)
    assert Suppression.objects.get().email == people[2].email
    assert Delivery.objects.get(subscriber=people[2]).status == "failed"
    assert Edition.objects.get(pk=edition.pk).status == "sent"
    # The next edition skips the suppressed address without asking the server.
    second = digest()
    sending.send_edition(second.pk)
    assert Delivery.objects.filter(edition=second).count() == 4


def test_try_later_is_retried_and_nothing_is_sent_twice(smtp, settings):
    settings.AKHBAR = {**settings.AKHBAR, "EMAIL_RETRY_SECONDS": 60}
    people = readers(4)
    smtp.behaviour.tempfail = {people[1].email: 2}
    edition = digest()
    first = sending.send_edition(edition.pk)
    assert (first.sent, first.retry) == (3, 1)
    assert Edition.objects.get(pk=edition.pk).status == "sending"
    row = Delivery.objects.get(subscriber=people[1])
    assert row.status == "pending" and row.attempts == 1 and "451" in row.error
    assert sending.send_edition(edition.pk).attempted == 0  # not due yet (back-off)
    Delivery.objects.filter(pk=row.pk).update(next_attempt_at=None)
    second = sending.send_edition(edition.pk)
    assert second.retry == 1
    Delivery.objects.filter(pk=row.pk).update(next_attempt_at=None)
    third = sending.send_edition(edition.pk)
    assert third.sent == 1
    assert Counter(m.rcpt for m in smtp.received) == Counter(p.email for p in people)
    assert Edition.objects.get(pk=edition.pk).status == "sent"


def test_server_hangs_up_mid_batch_nothing_lost_nothing_twice(smtp, settings):
    settings.AKHBAR = {**settings.AKHBAR, "EMAIL_RETRY_SECONDS": 60}
    people = readers(30)
    smtp.behaviour.drop_after = 12
    edition = digest()
    first = sending.send_edition(edition.pk)
    # The drop happens at MAIL FROM, before any body: a clean retry for that one reader,
    # and the sender reconnects for the rest.
    assert first.sent == 29 and first.retry == 1 and first.uncertain == 0
    Delivery.objects.update(next_attempt_at=None)
    sending.send_edition(edition.pk)
    assert Counter(m.rcpt for m in smtp.received) == Counter(p.email for p in people)
    assert max(Counter(m.rcpt for m in smtp.received).values()) == 1


def test_server_that_times_out_is_retried(smtp, settings):
    settings.AKHBAR = {**settings.AKHBAR, "EMAIL_RETRY_SECONDS": 60}
    people = readers(3)
    settings.AKHBAR_EMAIL_URL = f"smtp://127.0.0.1:{smtp.port}?timeout=0.5"
    smtp.behaviour.stall_seconds = 1.5
    smtp.behaviour.stall_times = 1
    edition = digest()
    first = sending.send_edition(edition.pk)
    assert first.retry == 1 and first.sent == 2
    assert (
        "timed out" in Delivery.objects.get(subscriber=people[0]).error.lower()
        or "Timeout" in Delivery.objects.get(subscriber=people[0]).error
    )
    import time

    time.sleep(1.2)  # let the stalled session finish on the server side
    Delivery.objects.update(next_attempt_at=None)
    sending.send_edition(edition.pk)
    assert sorted(m.rcpt for m in smtp.received) == sorted(p.email for p in people)


def test_refused_connection_keeps_every_reader_pending(settings):
    from tests.deploy.servers import free_port

    settings.AKHBAR = {**settings.AKHBAR, "EMAIL_RETRY_SECONDS": 60}
    readers(3)
    settings.AKHBAR_EMAIL_URL = f"smtp://127.0.0.1:{free_port()}?timeout=1"
    edition = digest()
    progress = sending.send_edition(edition.pk)
    assert progress.sent == 0 and progress.retry == 3
    assert set(Delivery.objects.values_list("status", flat=True)) == {"pending"}
    assert all("Connection" in e or "refused" in e.lower() for e in progress.errors)


def test_body_sent_but_no_answer_is_uncertain_never_resent(smtp):
    """The connection breaks after the message went out: it may have arrived, so it is
    recorded as uncertain and not sent again."""
    people = readers(2)

    class Flaky(mailer.SMTPTransport):
        calls = 0

        def send(self, sender, recipient, message, *, eight_bit=False):
            Flaky.calls += 1
            if Flaky.calls == 1:
                result = super().send(sender, recipient, message, eight_bit=eight_bit)
                assert result.outcome is mailer.Outcome.SENT
                return mailer.Result(mailer.Outcome.UNKNOWN, "connection lost after DATA")
            return super().send(sender, recipient, message, eight_bit=eight_bit)

    edition = digest()
    transport = Flaky(mailer.configured())
    progress = sending.send_edition(edition.pk, transport=transport)
    transport.close()
    assert progress.uncertain == 1 and progress.sent == 1
    sending.send_edition(edition.pk)
    assert Counter(m.rcpt for m in smtp.received) == Counter(p.email for p in people)
    assert Delivery.objects.filter(status="uncertain").count() == 1
    assert Edition.objects.get(pk=edition.pk).status == "sent"


def test_abandoned_batch_is_recovered_without_resending(smtp):
    people = readers(6)
    edition = digest()
    sending.start(edition.pk)
    # A sender claimed a batch, delivered the first two and died (kill -9).
    _, rows = sending.claim_batch(edition.pk, 4)
    ids = [r[0] for r in rows]
    Delivery.objects.filter(pk__in=ids[:2]).update(status="sent", claim="")
    uncertain, released = sending.recover_abandoned(edition.pk, older_than=0)
    assert (uncertain, released) == (1, 1)
    assert Delivery.objects.get(pk=ids[2]).status == "uncertain"
    progress = sending.send_edition(edition.pk)
    assert progress.sent == 3  # ids[3] and the two never claimed
    got = {m.rcpt for m in smtp.received}
    assert got == {p.email for p in people[3:]}


def test_two_senders_never_claim_the_same_reader(smtp):
    readers(10)
    edition = digest()
    sending.start(edition.pk)
    a_token, a = sending.claim_batch(edition.pk, 6)
    b_token, b = sending.claim_batch(edition.pk, 6)
    assert a_token != b_token
    assert not {r[0] for r in a} & {r[0] for r in b}
    assert len(a) + len(b) == 10


def test_unsubscribed_while_sending_is_skipped(smtp):
    people = readers(3)
    edition = digest()
    sending.start(edition.pk)
    people[0].subs.update(active=False)
    progress = sending.send_edition(edition.pk)
    assert progress.skipped == 1 and progress.sent == 2


def test_rate_limit_paces_messages(smtp):
    import time

    readers(6)
    edition = digest()
    started = time.monotonic()
    sending.send_edition(edition.pk, per_second=20)
    assert time.monotonic() - started >= 5 / 20


def test_email_url_parsing():
    c = mailer.parse_email_url("smtp://user%40x:p%3Ass@mail.example.org:587?tls=1&timeout=7")
    assert (c.host, c.port, c.username, c.password, c.starttls, c.timeout) == (
        "mail.example.org",
        587,
        "user@x",
        "p:ss",
        True,
        7.0,
    )
    assert "p:ss" not in c.display
    assert mailer.parse_email_url("").scheme == "console"
    assert mailer.parse_email_url("smtps://h").port == 465
    with pytest.raises(mailer.ConfigError):
        mailer.parse_email_url("http://h")


def test_console_transport_when_unset(settings, capsys):
    settings.AKHBAR_EMAIL_URL = ""
    readers(1)
    edition = digest()
    assert sending.send_edition(edition.pk).sent == 1
    out = capsys.readouterr().out
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in out


def test_base64_when_the_server_has_no_8bitmime(smtp):
    readers(1)
    edition = digest()

    class Old(mailer.SMTPTransport):
        def supports_8bit(self):
            return False

    transport = Old(mailer.configured())
    sending.send_edition(edition.pk, transport=transport)
    transport.close()
    mail = smtp.received[0]
    assert b"Content-Transfer-Encoding: base64" in mail.raw and mail.dkim_ok
    assert "ملخص الخبر رقم 0" in mail.part("plain")


def test_long_lines_are_broken_only_at_spaces():
    from akhbar.newsletters.messages import eight_bit_lines

    html = ('<td style="' + "color: red; " * 200 + '">' + "كلمة " * 400 + "</td>").encode()
    out = eight_bit_lines(html)
    assert max(len(x) for x in out.split(b"\r\n")) <= 800
    assert out.replace(b"\r\n", b" ") == html


def test_send_edition_command_shows_progress_and_a_summary(smtp):
    readers(5)
    edition = digest()
    out, err = StringIO(), StringIO()
    call_command("send_edition", str(edition.pk), stdout=out, stderr=err)
    assert err.getvalue().splitlines() == [f"Sending edition {edition.pk}: 5/5 (100%)"]
    assert out.getvalue() == "5 sent, 0 to retry, 0 failed, 0 uncertain, 0 skipped\n"
    assert len(smtp.received) == 5
