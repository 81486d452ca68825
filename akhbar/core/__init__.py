"""What every app shares and no app owns: the publishing pipeline's events (``events``).

This package depends on Django only, never on another Akhbar app, so every app may import it:
it is a library, and every module of it is public (apps name theirs in ``public.py``;
docs/architecture.md, "Apps").
"""
