"""Stop words dropped before indexing and querying.

Function words carry no topic, occur in nearly every article and would dominate posting
lists, related-article overlap scores and spam-filter features. The raw list is written in
ordinary spelling and passed through :func:`normalize` at import time, so it can never drift
out of sync with the normaliser (e.g. "إلى" is stored as "الي").
"""

from __future__ import annotations

from akhbar.arabic.normalize import normalize

__all__ = ["STOP_WORDS", "is_stop_word"]

_ARABIC = """
في من على إلى عن مع عند منذ حتى بين بعد قبل خلال حول ضد دون لدى نحو عبر تحت فوق أمام وراء
لكن بل أو أم ثم إذا إذ لو لولا كي لكي لأن لان حيث بينما كما مثل غير سوى إلا
أن إن كأن لكنّ ليت لعل قد لقد لم لن لا ما ماذا متى أين كيف كم هل أي أيّ
هو هي هم هن هما أنا نحن أنت أنتم أنتن أنتما إياه إياها إياهم
هذا هذه هذان هاتان هؤلاء ذلك تلك ذاك أولئك هنا هناك هنالك
الذي التي الذين اللذان اللتان اللواتي اللاتي اللائي
كان كانت كانوا يكون تكون كنت أصبح أصبحت ليس ليست صار ظل مازال ما زال لايزال
كل بعض جميع أيضا فقط إلى جانب عدة أكثر أقل جدا
فيه فيها فيهم منه منها منهم عليه عليها عليهم إليه إليها إليهم عنه عنها عنهم
له لها لهم لنا لي به بها بهم معه معها معهم بينهم لديه لديها
و ف ب ك ل وفي ومن وعلى وإلى وعن ومع وقد ولم ولن ولا وما وهو وهي وهم وأن وإن وكان وكانت
فقد فإن فإذا بأن بعدما عندما بينما حين حينما كلما مما ممن عما فيما بما لما
يا أما إما سواء ذات ذو ذي إنه إنها أنه أنها لأنه لأنها
قال وقال قالت وقالت يقول تقول أضاف وأضاف أكد وأكد
اليوم أمس الآن
"""

_ENGLISH = """
a an the and or but if of at by for with about against between into through during before
after above below to from up down in out on off over under again further then once here
there when where why how all any both each few more most other some such no nor not only own
same so than too very s t can will just don should now is are was were be been being have
has had having do does did doing i me my we our you your he him his she her it its they them
their what which who whom this that these those am as until while
"""

STOP_WORDS: frozenset[str] = frozenset(
    normalize(word) for word in (_ARABIC + _ENGLISH).split() if normalize(word)
)


def is_stop_word(term: str) -> bool:
    """Tell whether *term* (raw or normalised) is a stop word."""
    if not isinstance(term, str):
        return False
    return term in STOP_WORDS or normalize(term) in STOP_WORDS
