"""How close a question's first page is to the shared ranking over *every* match.

    .venv/bin/python bench/search_overlap.py --reuse KEPT.sqlite3 --questions 40
    .venv/bin/python bench/search_overlap.py --reuse postgres://…/KEPT_DB --questions 40

The engines rank only candidates (see ``SearchBackend._relaxed``: a question's common words
match most of the archive, and ranking every match is what made questions slow). This
measures what that costs in quality: for each generated question (``bench/search.py``'s
generator, same seed), the top 10 the engine returns, against the top 10 of
``akhbar.search.ranking`` applied to every live any-word match (found with the engine's own
any-word query, exhaustively; slow on purpose). Prints the mean overlap (1.0 = identical
sets) and the questions with the lowest.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", required=True, help="kept SQLite file or PostgreSQL URL")
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    if args.reuse.startswith(("postgres://", "postgresql://")):
        os.environ["DATABASE_URL"] = args.reuse
    else:
        os.environ["AKHBAR_SQLITE_PATH"] = str(Path(args.reuse).resolve())
    os.environ.setdefault("AKHBAR_LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "akhbar.settings"
    import django

    django.setup()
    from akhbar.search import ranking
    from akhbar.search.backends import get_backend
    from akhbar.search.backends.postgres import tsquery_sql
    from akhbar.search.backends.sqlite import fts5_expression
    from akhbar.search.query import parse_query
    from akhbar.search.vocabulary import resolve_proclitics

    spec = importlib.util.spec_from_file_location("search_bench", REPO / "bench" / "search.py")
    search_bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(search_bench)
    questions = search_bench.TextGenerator(args.seed).questions(args.questions)
    backend = get_backend()

    def every_match(query) -> list[int]:
        live_sql, live_params = backend._live_articles_sql(None)
        with backend.connection.cursor() as cursor:
            if backend.vendor == "sqlite":
                cursor.execute(
                    f"SELECT rowid FROM search_fts WHERE search_fts MATCH %s "
                    f"AND rowid IN (SELECT id FROM ({live_sql}))",
                    [fts5_expression(query, any_word=True), *live_params],
                )
            else:
                sql, params = tsquery_sql(query, any_word=True)
                cursor.execute(
                    f"SELECT e.article_id FROM search_searchentry e "
                    f"JOIN ({live_sql}) AS live ON live.id = e.article_id "
                    f"WHERE e.document @@ ({sql})",
                    [*live_params, *params],
                )
            return [row[0] for row in cursor.fetchall()]

    overlaps = []
    started = time.perf_counter()
    for text in questions:
        parsed = parse_query(text)
        shown = [h.article_id for h in backend.search(parsed, None, 1, 10).hits]
        query, frequencies = resolve_proclitics(parsed, backend.document_frequencies)
        wanted = set(query.terms) | {t for alts in query.alternatives for t in alts}
        frequencies = {t: frequencies.get(t, 0) for t in wanted}
        groups = ranking.groups_of(query.terms, query.alternatives, query.phrases)
        best = [s.article_id for s in backend._rank(every_match(query), groups, frequencies)]
        best = best[:10]
        if best:
            overlaps.append((len(set(shown) & set(best)) / len(best), text))
    overlaps.sort()
    print(f"engine {backend.vendor}, {len(overlaps)} questions with matches, seed {args.seed}")
    mean = statistics.mean(o for o, _ in overlaps)
    print(f"top-10 overlap with the exhaustive ranking: mean {mean:.3f}")
    print("lowest:", ", ".join(f"{o:.1f}" for o, _ in overlaps[:5]))
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
