"""Live coverage (تغطية مباشرة): an article kind whose body is a stream of short entries.

Public interface: :mod:`akhbar.live.public` (start / pause / end a coverage, post, edit,
pin and delete entries, the readers' update payload) and the ``live_tags`` template library
the article page loads. Other apps never touch the models directly.
"""
