"""Wire ingest benchmark: N Arabic NewsML-G2 files dropped in a watched folder, imported.

    .venv/bin/python bench/wire_ingest.py --items 2000
    .venv/bin/python bench/wire_ingest.py --items 2000 --postgres postgres://postgres@127.0.0.1:5432/postgres

A fresh temporary SQLite database (or a fresh ``akhbar_bench_wire_<pid>`` PostgreSQL database,
dropped afterwards) and a temporary folder. The items are generated deterministically from
sitegen's original vocabulary (subjects mapped by two rules, 250-400 words each, one in ten
an update of an earlier one). What is timed is ``akhbar.wire.ingest.watch_folder``: parse,
map, write through the newsroom's write path, near-duplicate check, log line, move to done/.
The after-commit work (search index, related lists) runs too, as in production.
Prints items/s (wall and CPU) and the load average, since the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))


def cpu() -> float:
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


def item_xml(i: int, version: int, rng: random.Random, sentence) -> bytes:
    subjects = [
        ("medtop:04000000", "اقتصاد"),
        ("medtop:15000000", "رياضة"),
        ("medtop:11000000", "سياسة"),
    ]
    code, name = subjects[i % 3]
    paras = "".join(f"<p>{escape(' '.join(sentence(rng) for _ in range(4)))}</p>" for _ in range(6))
    title = escape(sentence(rng)[:120])
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:bench:{i}" version="{version}"
 standard="NewsML-G2" standardversion="2.24" xml:lang="ar">
 <itemMeta><itemClass qcode="ninat:text"/><versionCreated>2026-01-01T10:00:00Z</versionCreated>
  <pubStatus qcode="stat:usable"/></itemMeta>
 <contentMeta><language tag="ar"/><subject qcode="{code}"><name>{name}</name></subject>
  <headline>{title}</headline><by>مراسل {i % 40}</by><dateline>عمّان</dateline></contentMeta>
 <contentSet><inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml">
  <head><title>{title}</title></head><body>{paras}</body></html></inlineXML></contentSet>
</newsItem>""".encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--postgres", help="a PostgreSQL server URL (a fresh database is made)")
    parser.add_argument("--profile", action="store_true", help="print the top cProfile entries")
    parser.add_argument(
        "--sort", default="cumulative", help="cProfile order with --profile (e.g. tottime)"
    )
    parser.add_argument("--dump", help="with --profile: also write the raw profile to this file")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="akhbar-wire-bench-")
    os.environ["AKHBAR_DATA_DIR"] = tmp
    os.environ["AKHBAR_WIRE_ROOT"] = str(Path(tmp) / "wire")
    os.environ.setdefault("AKHBAR_LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "akhbar.settings"
    dbname = None
    if args.postgres:
        import psycopg

        dbname = f"akhbar_bench_wire_{os.getpid()}"
        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{dbname}"')
        os.environ["DATABASE_URL"] = args.postgres.rsplit("/", 1)[0] + "/" + dbname
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from sitegen import _sentence as sentence  # sitegen's original sentence bank

    from akhbar.newsroom.models import Article, Category
    from akhbar.wire import ingest
    from akhbar.wire.models import SubjectRule, WireSource

    econ = Category.objects.create(name="اقتصاد", slug="econ")
    Category.objects.create(name="رياضة", slug="sport")
    SubjectRule.objects.create(match="medtop:04000000", category=econ)
    source = WireSource.objects.create(
        name="bench", kind="folder", folder="bench", credit="وكالة",
        default_category=Category.objects.create(name="عام", slug="general"), auto_publish=True,
    )  # fmt: skip
    folder = ingest.source_dir(source)
    folder.mkdir(parents=True)
    rng = random.Random(args.seed)
    for n in range(args.items):
        updating = n >= 10 and n % 10 == 0
        i = n - 5 if updating else n
        (folder / f"{n:06d}.xml").write_bytes(item_xml(i, 2 if updating else 1, rng, sentence))
    started, cpu0 = time.perf_counter(), cpu()
    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        results = prof.runcall(ingest.watch_folder, source)
        if args.dump:
            prof.dump_stats(args.dump)
        pstats.Stats(prof).sort_stats(args.sort).print_stats(45)
    else:
        results = ingest.watch_folder(source)
    wall, used = time.perf_counter() - started, cpu() - cpu0
    created = sum(r.created for _, r in results)
    updated = sum(r.updated for _, r in results)
    errors = sum(len(r.errors) + bool(r.fatal) for _, r in results)
    load = os.getloadavg()
    print(f"database: {'PostgreSQL' if dbname else 'SQLite'}; items: {args.items}")
    print(
        f"created {created}, updated {updated}, errors {errors}; articles {Article.objects.count()}"
    )
    print("| items | wall s | items/s (wall) | CPU s | items/s (CPU) | load avg 1/5/15 |")
    print("|---:|---:|---:|---:|---:|---|")
    print(
        f"| {args.items} | {wall:.2f} | {args.items / wall:.0f} | {used:.2f} | "
        f"{args.items / used:.0f} | {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} |"
    )
    if dbname:
        from django.db import connections

        connections.close_all()
        import psycopg

        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{dbname}"')


if __name__ == "__main__":
    main()
