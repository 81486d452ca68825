"""Newsletter throughput: one digest to many readers through a local SMTP server, while an
article page is being served.

Run from the repository root::

    .venv/bin/python bench/newsletter_send.py                     # 100,000 readers, SQLite
    .venv/bin/python bench/newsletter_send.py --readers 20000 --senders 1 --dkim
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/akhbar_bench_nl .venv/bin/python \\
        bench/newsletter_send.py

What it does, all on 127.0.0.1 in a temporary data directory:

1. migrates a fresh database, creates N confirmed subscribers and a digest of 8 stories;
2. starts the SMTP server (aiosmtpd, in its own process; it counts messages and duplicate
   recipients) and the site (gunicorn, 2 workers, file page cache);
3. measures the article page's p50 with nobody sending (idle), then starts ``--senders``
   ``manage.py send_edition`` processes (the same code the job queue runs) and measures the
   page again during the send;
4. prints messages/s, each sender's peak memory (ru_maxrss), the page p50 idle vs during, the
   duplicate count (must be 0), and the load average before and after — the machine is
   shared, so read figures next to the load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
PY = sys.executable

SINK = textwrap.dedent(
    """
    import asyncio, signal, sys, json
    from aiosmtpd.controller import Controller
    counts = {"messages": 0, "bytes": 0, "dupes": 0}
    seen = set()
    class H:
        async def handle_DATA(self, server, session, envelope):
            counts["messages"] += 1
            counts["bytes"] += len(envelope.content)
            for r in envelope.rcpt_tos:
                if r in seen:
                    counts["dupes"] += 1
                seen.add(r)
            return "250 OK"
    c = Controller(H(), hostname="127.0.0.1", port=int(sys.argv[1]), decode_data=False)
    c.start()
    out = sys.argv[2]
    def stop(*a):
        c.stop()
        open(out, "w").write(json.dumps(counts))
        sys.exit(0)
    signal.signal(signal.SIGTERM, stop)
    while True:
        open(out, "w").write(json.dumps(counts))
        signal.pause() if False else __import__("time").sleep(0.5)
    """
)

SENDER = textwrap.dedent(
    """
    import resource, sys, time, django
    django.setup()
    from akhbar.newsletters import sending
    t = time.perf_counter()
    p = sending.send_edition(int(sys.argv[1]))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{p.sent} {p.retry} {p.failed} {p.uncertain} {time.perf_counter() - t:.2f} {rss:.0f}")
    """
)

POPULATE = textwrap.dedent(
    """
    import sys, django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    from akhbar.newsletters.models import Edition, NewsletterList, Subscriber, Subscription
    from akhbar.newsroom.models import Article, Category
    n = int(sys.argv[1])
    c = Category.objects.create(name="محليات", slug="local")
    arts = [Article.objects.create(
        title=f"خبر رقم {i}: البلدية تعلن خطة جديدة للنقل العام في المدينة", slug=f"news-{i}",
        status="published", category=c, is_featured=i < 2, view_count=100 - i,
        excerpt="أعلنت البلدية اليوم عن خطة جديدة لتطوير شبكة النقل العام خلال السنوات المقبلة.",
        body="<p>" + "نص الخبر. " * 200 + "</p>") for i in range(8)]
    daily = NewsletterList.objects.get(slug="daily")
    step = 5000
    for start in range(0, n, step):
        Subscriber.objects.bulk_create([Subscriber(email=f"reader{i}@example.org",
            status="confirmed") for i in range(start, min(n, start + step))])
    ids = list(Subscriber.objects.values_list("id", flat=True))
    for start in range(0, len(ids), step):
        Subscription.objects.bulk_create([Subscription(subscriber_id=i, newsletter=daily)
                                          for i in ids[start:start + step]])
    e = Edition.objects.create(newsletter=daily, subject="النشرة اليومية",
                               article_ids=[a.pk for a in arts], status="queued")
    from akhbar.newsletters import sending
    sending.start(e.pk)  # materialise the audience before the clock starts
    print(e.pk, arts[0].get_absolute_url())
    """
)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def p50(url: str, seconds: float, stop_when=None) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    times = []
    end = time.monotonic() + seconds
    with httpx.Client(timeout=10) as client:
        while time.monotonic() < end and not (stop_when and stop_when()):
            t = time.perf_counter()
            r = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200, r.status_code
            time.sleep(0.02)
    return statistics.median(times), len(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--readers", type=int, default=100_000)
    parser.add_argument("--senders", type=int, default=2)
    parser.add_argument("--rate", type=float, default=0, help="messages/s per sender (0: max)")
    parser.add_argument("--dkim", action="store_true", help="sign every message (RSA 2048)")
    parser.add_argument("--batch", type=int, default=200)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="akhbar-nl-bench-"))
    smtp_port, web_port = free_port(), free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("PYTEST_VERSION",)},
        "DJANGO_SETTINGS_MODULE": "akhbar.settings",
        "AKHBAR_DATA_DIR": str(tmp),
        "AKHBAR_SECRET_KEY": "bench-" + "x" * 50,
        "AKHBAR_EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}?timeout=30",
        "AKHBAR_EMAIL_RATE": str(args.rate),
        "AKHBAR_EMAIL_BATCH": str(args.batch),
        "AKHBAR_NEWSLETTER_FROM": "news@news.example.org",
        "AKHBAR_SITE_URL": "https://news.example.org",
        "AKHBAR_TASKS_BACKEND": "immediate",
        "AKHBAR_CACHE": "file",
        "AKHBAR_LOG_LEVEL": "WARNING",
    }
    if args.dkim:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        env["AKHBAR_DKIM_PRIVATE_KEY"] = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        ).decode()
    db = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite (WAL)"
    print(
        f"newsletter send benchmark: {args.readers:,} readers, {args.senders} sender process(es),"
        f" DKIM {'on' if args.dkim else 'off'}, {db}, rate {args.rate or 'max'}"
    )
    print(f"load average before setup: {loadavg()} ({os.cpu_count()} cores)")
    t = time.perf_counter()
    out = subprocess.run(
        [PY, "-c", POPULATE, str(args.readers)], cwd=REPO, env=env, capture_output=True, text=True
    )
    if out.returncode:
        sys.exit(f"setup failed:\n{out.stderr[-3000:]}")
    edition_id, article_path = out.stdout.split()[-2:]
    print(f"setup (migrate, readers, audience rows): {time.perf_counter() - t:.1f} s")

    counts_file = tmp / "sink.json"
    sink = subprocess.Popen([PY, "-c", SINK, str(smtp_port), str(counts_file)], cwd=REPO, env=env)
    web = subprocess.Popen(
        [
            str(Path(PY).parent / "gunicorn"),
            "akhbar.wsgi",
            "--bind",
            f"127.0.0.1:{web_port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=REPO,
        env=env,
    )
    url = f"http://127.0.0.1:{web_port}{article_path}"
    try:
        for _ in range(100):
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        time.sleep(1)
        idle, n_idle = p50(url, 8)
        print(f"article page idle: p50 {idle:.1f} ms over {n_idle} requests; load {loadavg()}")

        start = time.perf_counter()
        senders = [
            subprocess.Popen(
                [PY, "-c", SENDER, edition_id], cwd=REPO, env=env, stdout=subprocess.PIPE, text=True
            )
            for _ in range(args.senders)
        ]
        during, n_during = p50(
            url, 3600, stop_when=lambda: all(s.poll() is not None for s in senders)
        )
        results = [s.communicate()[0].split() for s in senders]
        elapsed = time.perf_counter() - start
        load_after = loadavg()
        time.sleep(1)
    finally:
        web.terminate()
        sink.terminate()
        sink.wait(10)
        web.wait(10)
    import json

    counts = json.loads(counts_file.read_text())
    sent = sum(int(r[0]) for r in results)
    print(
        f"sent {sent:,} (SMTP server received {counts['messages']:,}, "
        f"{counts['bytes'] / counts['messages'] / 1024:.1f} KiB each, duplicates "
        f"{counts['dupes']}) in {elapsed:.1f} s: {counts['messages'] / elapsed:,.0f} msg/s"
    )
    for i, r in enumerate(results):
        print(
            f"  sender {i}: {int(r[0]):,} sent, {r[1]} retry, {r[2]} failed, {r[3]} uncertain,"
            f" {r[4]} s, peak RSS {r[5]} MB"
        )
    print(
        f"article page during the send: p50 {during:.1f} ms over {n_during} requests "
        f"({during / idle:.2f}x idle)"
    )
    print(f"load average after the send: {load_after}")


if __name__ == "__main__":
    main()
