"""Pure-Python Arabic text analysis for search, related articles and spam filtering.

Deliberately free of Django imports so it can be used from scripts, benchmarks and workers.
A library, like ``akhbar.core``: this package's names and every module of it are public.
"""

from akhbar.arabic.analyze import analyze, analyze_with_offsets
from akhbar.arabic.normalize import normalize, strip_invisible
from akhbar.arabic.stem import stem
from akhbar.arabic.stopwords import STOP_WORDS, is_stop_word
from akhbar.arabic.tokenize import Token, tokenize

__all__ = [
    "STOP_WORDS",
    "Token",
    "analyze",
    "analyze_with_offsets",
    "is_stop_word",
    "normalize",
    "stem",
    "strip_invisible",
    "tokenize",
]
