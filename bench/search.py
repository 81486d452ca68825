"""Search benchmark: index N generated Arabic articles into a fresh database, then query.

Run from the repository root:

    .venv/bin/python bench/search.py --articles 10000
    .venv/bin/python bench/search.py --articles 100000
    .venv/bin/python bench/search.py --articles 10000 --postgres postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/search.py --reuse KEPT.sqlite3 --pool 100 --pool 30  # or a kept DB's URL

SQLite runs in a temporary file (deleted afterwards unless --keep); with --postgres a fresh
database ``akhbar_bench_<pid>`` is created on that server and dropped afterwards. Articles are
written with ``bulk_create`` (no signals), then indexed with the same code as
``manage.py reindex``, which is what is timed. Text is generated deterministically (--seed)
from the sentences of the search quality collection: real sentence shapes, their words
re-sampled with a Zipfian distribution plus a long tail of rare names, as in news archives.

Reported: indexing articles/s (wall, and per CPU-second including the analysis workers),
latency of the engine query (parse + ranked search + count up to 1,000) p50/p95/p99 for a
fixed query mix, the same for the full results-page service (adds the article fetch and
snippets), each as wall time and as CPU time, index size on disk, peak RSS, and the load
average, since a shared machine's other jobs inflate every wall-clock figure.

``--workers N`` analyses in N worker processes (default: as ``manage.py reindex``, in-process).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import resource
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
COLLECTION = REPO / "tests" / "search_quality" / "collection.json"
ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_children_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def cpu_seconds() -> float:
    """CPU time of this process plus its finished children (the analysis workers)."""
    usage = [resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(u.ru_utime + u.ru_stime for u in usage)


class TextGenerator:
    """Deterministic news-like Arabic text from the quality collection's sentences."""

    def __init__(self, seed: int, tail: int = 30_000) -> None:
        self.rng = random.Random(seed)
        data = json.loads(COLLECTION.read_text(encoding="utf-8"))
        texts = [a["body"] for a in data["articles"]] + [a["title"] for a in data["articles"]]
        self.sentences = [s.split() for t in texts for s in re.split(r"(?<=[.،]) ", t) if s]
        counts: dict[str, int] = {}
        for sentence in self.sentences:
            for word in sentence:
                word = word.strip(".،")
                counts[word] = counts.get(word, 0) + 1
        common = sorted(counts, key=lambda w: -counts[w])
        # A tail of rare "names" so the vocabulary grows with the archive, as real news does.
        names = {
            "".join(self.rng.choice(ARABIC) for _ in range(self.rng.randint(4, 7)))
            for _ in range(tail)
        }
        self.vocabulary = common + sorted(names)
        weights = [1 / (rank + 1) ** 1.05 for rank in range(len(self.vocabulary))]
        self.cum_weights = list(itertools.accumulate(weights))
        self.categories = sorted({a["category"] for a in data["articles"]})

    def words(self, n: int) -> list[str]:
        return self.rng.choices(self.vocabulary, cum_weights=self.cum_weights, k=n)

    def sentence(self) -> str:
        shape = self.rng.choice(self.sentences)
        # Keep about half the original words (grammatical glue), re-sample the rest.
        fresh = iter(self.words(len(shape)))
        return " ".join(w if self.rng.random() < 0.5 else next(fresh) for w in shape)

    def title(self) -> str:
        return " ".join(self.words(self.rng.randint(5, 9)))

    def body(self) -> str:
        return "".join(f"<p>{self.sentence()}</p>" for _ in range(self.rng.randint(20, 32)))

    def queries(self, n: int) -> list[str]:
        """A fixed mix: 1-3 words, phrases, exclusions, from the mid-frequency vocabulary."""
        rng = random.Random(7)
        mid = self.vocabulary[20:3000]
        out = []
        for i in range(n):
            kind = i % 10
            if kind < 4:
                out.append(rng.choice(mid))
            elif kind < 7:
                out.append(" ".join(rng.sample(mid, 2)))
            elif kind == 7:
                out.append(" ".join(rng.sample(mid, 3)))
            elif kind == 8:
                words = rng.choice(self.sentences)
                start = rng.randrange(max(1, len(words) - 1))
                out.append('"' + " ".join(words[start : start + 2]).strip(".،") + '"')
            else:
                a, b = rng.sample(mid, 2)
                out.append(f"{a} -{b}")
        return out

    def questions(self, n: int) -> list[str]:
        """5-8-word questions: a question word, then words mostly never seen together."""
        rng = random.Random(11)
        mid = self.vocabulary[20:3000]
        starts = ["متى", "كم عدد", "من هو", "أين", "لماذا", "ما هي", "كيف", "هل"]
        return [
            f"{starts[i % len(starts)]} {' '.join(rng.sample(mid, rng.randint(4, 7)))}؟"
            for i in range(n)
        ]

    def prefixes(self, n: int) -> list[str]:
        """What a reader has typed so far: 2-4 letters of a word, sometimes after a word."""
        rng = random.Random(13)
        mid = [w for w in self.vocabulary[10:3000] if len(w) >= 4]
        out = []
        for i in range(n):
            word = rng.choice(mid)
            prefix = word[: rng.randint(2, 4)]
            out.append(f"{rng.choice(mid)} {prefix}" if i % 3 == 2 else prefix)
        return out


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def fresh_postgres(url: str) -> tuple[str, str, str]:
    import psycopg

    name = f"akhbar_bench_{os.getpid()}"
    parts = urlsplit(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), url, name


def drop_postgres(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument(
        "--workers", type=int, default=None, help="analysis processes (default: as reindex)"
    )
    parser.add_argument("--postgres", metavar="URL", help="benchmark PostgreSQL instead")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file / database")
    parser.add_argument(
        "--reuse",
        metavar="SQLITE_FILE_OR_URL",
        help="query an index kept by an earlier --keep run (same --seed): no load, no indexing;"
        " a postgres:// URL names a kept PostgreSQL database",
    )
    parser.add_argument(
        "--pool",
        type=int,
        action="append",
        help="candidates ranked per query (akhbar.search.backends.base.POOL); repeat to compare",
    )
    args = parser.parse_args()

    tmpdir = tempfile.mkdtemp(prefix="akhbar-bench-")
    pg_admin, pg_name = _point_at_database(args, tmpdir)
    os.environ.setdefault("AKHBAR_DATA_DIR", tmpdir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "akhbar.settings")
    os.environ.setdefault("AKHBAR_LOG_LEVEL", "WARNING")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from akhbar.newsroom.models import Article, Author, Category
    from akhbar.search.backends import SearchFilters, get_backend
    from akhbar.search.indexing import reindex_all
    from akhbar.search.management.commands.reindex import default_workers
    from akhbar.search.query import parse_query
    from akhbar.search.services import run_search_page
    from akhbar.search.suggest import suggest

    try:
        if args.reuse:
            query_only(args)
            return
        call_command("migrate", verbosity=0)
        gen = TextGenerator(args.seed)
        categories = [
            Category.objects.create(name=name, slug=f"c{i}")
            for i, name in enumerate(gen.categories)
        ]
        authors = [Author.objects.create(display_name=f"كاتب {i}", slug=f"a{i}") for i in range(40)]
        now = timezone.now()
        started = time.perf_counter()
        chunk: list[Article] = []
        for i in range(args.articles):
            chunk.append(
                Article(
                    title=gen.title(),
                    slug=f"b-{i}",
                    body=gen.body(),
                    excerpt="",
                    status=Article.Status.PUBLISHED,
                    published_at=now - timedelta(minutes=gen.rng.randint(1, 3 * 365 * 24 * 60)),
                    category=gen.rng.choice(categories),
                    author=gen.rng.choice(authors),
                )
            )
            if len(chunk) == 2000:
                Article.objects.bulk_create(chunk)
                chunk = []
        if chunk:
            Article.objects.bulk_create(chunk)
        load_s = time.perf_counter() - started
        with connection.cursor() as cursor:  # what autovacuum / a cron job does after a load
            cursor.execute("ANALYZE")
        words = sum(len(a.split()) for a in [gen.body() for _ in range(200)]) / 200
        rss_before = rss_mb()

        workers = default_workers() if args.workers is None else args.workers
        load_before = os.getloadavg()
        started = time.perf_counter()
        cpu_started = cpu_seconds()
        if os.environ.get("BENCH_PROFILE"):  # profiles this process only: use --workers 1
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            indexed = profiler.runcall(reindex_all, batch_size=args.batch_size, workers=workers)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        else:
            indexed = reindex_all(batch_size=args.batch_size, workers=workers)
        index_s = time.perf_counter() - started
        index_cpu = cpu_seconds() - cpu_started
        rss_after_index = rss_mb()
        size = get_backend().index_size_bytes()

        backend = get_backend()
        queries = gen.queries(args.queries)
        questions = gen.questions(max(args.queries // 2, 50))
        prefixes = gen.prefixes(max(args.queries // 2, 50))
        short = [q for i, q in enumerate(queries) if i % 10 < 7]  # one and two words
        for q in queries[:50] + questions[:20]:  # warm caches, as a running server has them
            backend.search(parse_query(q), None, 1, 10)
        today = timezone.localdate()
        filter_sets = [
            ("category", SearchFilters(category_ids=(categories[0].pk,))),
            ("date range", SearchFilters(date_from=today - timedelta(days=120), date_to=today)),
            ("author", SearchFilters(author_ids=(authors[0].pk,))),
        ]

        def timed(fn, items) -> tuple[list[float], list[float], list]:
            wall, cpu, out = [], [], []
            for item in items:
                c0, t0 = time.process_time(), time.perf_counter()
                out.append(fn(item))
                wall.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
            return wall, cpu, out

        # Wall time, and CPU time of this process (the engine runs in-process on SQLite), which
        # other jobs on a shared machine inflate far less than wall time.
        load_queries = os.getloadavg()
        rows = []
        # "strict engine": the all-words engine query alone, i.e. the search as it was before
        # issue #12 (no vocabulary, no any-word fallback, no shared ranking), same run.
        for label, fn, items in [
            ("1-2 words", lambda q: backend.search(parse_query(q), None, 1, 10), short),
            (
                "  strict engine",
                lambda q: backend._matches(parse_query(q), None, 0, 10, False),
                short,
            ),
            ("query mix", lambda q: backend.search(parse_query(q), None, 1, 10), queries),
            (
                "5-8-word questions",
                lambda q: backend.search(parse_query(q), None, 1, 10),
                questions,
            ),
            *[
                (f"filter {name}", lambda q, f=f: backend.search(parse_query(q), f, 1, 10), short)
                for name, f in filter_sets
            ],
            ("suggestions", suggest, prefixes),
            ("results page", lambda q: run_search_page({"q": q}), queries),
            ("questions page", lambda q: run_search_page({"q": q}), questions),
        ]:
            wall, cpu, out = timed(fn, items)
            rows.append((label, wall, cpu, out))
        totals = [r.total for r in rows[2][3]]
        capped = sum(r.more for r in rows[2][3])
        empty_questions = sum(not r.total for r in rows[3][3])

        print(f"engine          {connection.vendor} ({connection.Database.__name__})")
        print(
            f"articles        {args.articles:,} (~{words:.0f} words each), loaded in {load_s:.1f}s"
        )
        print(
            f"indexing        {indexed:,} in {index_s:.1f}s = {indexed / index_s:,.0f} articles/s"
            f" (CPU {index_cpu:.1f}s = {indexed / index_cpu:,.0f} articles per CPU-second,"
            f" {'analysis in-process' if workers <= 1 else f'{workers} analysis workers'})"
        )
        print(f"index size      {size / 1e6:,.1f} MB" if size else "index size      n/a")
        print(
            f"peak RSS        {rss_before:,.0f} MB before indexing, {rss_after_index:,.0f} MB after"
        )
        print(
            f"queries         {len(queries)} (median hits {statistics.median(totals):,.0f}; "
            f"{capped} with more than {max(totals):,}, counted only that far)"
        )
        print(
            f"questions       {len(questions)}, {empty_questions} with no result; "
            f"suggestion prefixes {len(prefixes)}"
        )
        print(f"{'':<20}{'wall p50':>10}{'p95':>9}{'p99':>9}   {'CPU p50':>8}{'p95':>9}")
        for label, wall, cpu, _ in rows:
            print(
                f"{label:<20}{percentile(wall, 50):8.1f}ms{percentile(wall, 95):7.1f}ms"
                f"{percentile(wall, 99):7.1f}ms   {percentile(cpu, 50):6.1f}ms"
                f"{percentile(cpu, 95):7.1f}ms"
            )
        print(
            "load average    "
            + " / ".join(f"{x:.2f}" for x in load_queries)
            + " when querying began"
        )
        print(f"peak RSS total  {rss_mb():,.0f} MB (largest worker {rss_children_mb():,.0f} MB)")
        print(
            "load average    "
            + " / ".join(f"{x:.2f}" for x in load_before)
            + " before indexing, "
            + " / ".join(f"{x:.2f}" for x in os.getloadavg())
            + " at the end (1/5/15 min)"
        )
    finally:
        _clean_up(args, tmpdir, pg_admin, pg_name)


def _point_at_database(args: argparse.Namespace, tmpdir: str) -> tuple[str | None, str | None]:
    """Set the environment Django reads its database from, before ``django.setup()``: a kept
    index (--reuse), a fresh PostgreSQL database (--postgres) or a new SQLite file in *tmpdir*.
    Returns the PostgreSQL admin URL and database name to drop afterwards (None for SQLite)."""
    if args.reuse and args.reuse.startswith(("postgres://", "postgresql://")):
        os.environ["DATABASE_URL"] = args.reuse
    elif args.reuse:
        os.environ.pop("DATABASE_URL", None)
        os.environ["AKHBAR_SQLITE_PATH"] = str(Path(args.reuse).resolve())  # not in tmpdir
    elif args.postgres:
        db_url, pg_admin, pg_name = fresh_postgres(args.postgres)
        os.environ["DATABASE_URL"] = db_url
        return pg_admin, pg_name
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["AKHBAR_SQLITE_PATH"] = str(Path(tmpdir) / "bench.sqlite3")
    return None, None


def _clean_up(
    args: argparse.Namespace, tmpdir: str, pg_admin: str | None, pg_name: str | None
) -> None:
    """Drop what the run made (its PostgreSQL database, its temporary folder) unless --keep."""
    from django.db import connections

    connections.close_all()
    if pg_name and not args.keep:
        drop_postgres(pg_admin, pg_name)
    if not args.keep:
        import shutil

        shutil.rmtree(tmpdir, ignore_errors=True)
    else:
        print(f"kept {pg_name or tmpdir}")


def query_only(args: argparse.Namespace) -> None:
    """The query classes of :func:`main` on a kept index, for each ``--pool`` side by side."""
    from django.db import connection
    from django.utils import timezone

    from akhbar.newsroom.models import Author, Category
    from akhbar.search.backends import SearchFilters, base, get_backend
    from akhbar.search.query import parse_query
    from akhbar.search.suggest import suggest

    gen = TextGenerator(args.seed)
    backend = get_backend()
    categories = list(Category.objects.order_by("pk"))
    authors = list(Author.objects.order_by("pk"))
    queries = gen.queries(args.queries)
    questions = gen.questions(max(args.queries // 2, 50))
    prefixes = gen.prefixes(max(args.queries // 2, 50))
    short = [q for i, q in enumerate(queries) if i % 10 < 7]
    today = timezone.localdate()
    filters = [
        ("category", SearchFilters(category_ids=(categories[0].pk,))),
        ("date range", SearchFilters(date_from=today - timedelta(days=120), date_to=today)),
        ("author", SearchFilters(author_ids=(authors[0].pk,))),
    ]
    for q in queries[:50] + questions[:20]:
        backend.search(parse_query(q), None, 1, 10)
    print("load average " + " / ".join(f"{x:.2f}" for x in os.getloadavg()) + " at the start")
    # CPU time of this process (all of the SQLite engine's work); the wall time too, which
    # is PostgreSQL's figure (its work is in the server) and swings with the machine's load.
    print(f"engine {connection.vendor}, {args.reuse}; ms p50 / p95, CPU of this process | wall")
    pools = args.pool or [base.POOL]
    print(f"{'':<20}" + "".join(f"{'POOL ' + str(p):>30}" for p in pools))
    classes = [
        ("1-2 words", lambda q, f=None: backend.search(parse_query(q), f, 1, 10), short, None),
        (
            "  strict engine",
            lambda q, f=None: backend._matches(parse_query(q), f, 0, 10, False),
            short,
            None,
        ),
        (
            "5-8-word questions",
            lambda q, f=None: backend.search(parse_query(q), f, 1, 10),
            questions,
            None,
        ),
        *[
            (f"filter {n}", lambda q, f=None: backend.search(parse_query(q), f, 1, 10), short, f)
            for n, f in filters
        ],
        ("suggestions", lambda q, f=None: suggest(q), prefixes, None),
    ]
    for label, fn, items, flt in classes:
        cells = []
        for pool in pools:
            base.POOL = pool
            cpu, wall = [], []
            for item in items:
                c0, t0 = time.process_time(), time.perf_counter()
                fn(item, flt)
                cpu.append((time.process_time() - c0) * 1000)
                wall.append((time.perf_counter() - t0) * 1000)
            cells.append(
                f"{percentile(cpu, 50):6.1f} /{percentile(cpu, 95):6.1f} |"
                f"{percentile(wall, 50):6.1f} /{percentile(wall, 95):6.1f}"
            )
        print(f"{label:<20}" + "".join(f"{c:>30}" for c in cells))
    print("load average " + " / ".join(f"{x:.2f}" for x in os.getloadavg()) + " at the end")


if __name__ == "__main__":
    main()
