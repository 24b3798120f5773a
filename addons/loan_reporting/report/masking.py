"""Personal data as it leaves the database in a file: names shortened to what identifies a
row for the reader without naming the person (family name and initials)."""

import unicodedata


def _is_cjk(char):
    return unicodedata.name(char, "").startswith(("CJK", "HANGUL", "HIRAGANA", "KATAKANA"))


def mask_name(name):
    """``Nguyễn Văn An`` -> ``Nguyễn V. A.``, ``王小明`` -> ``王**``, ``Li`` -> ``L*``.

    The first word is kept (the family name, first in Vietnamese and Chinese names), the
    others become initials; a name written without spaces in Chinese, Japanese or Korean
    keeps its first character."""
    words = (name or "").split()
    if not words:
        return ""
    if len(words) == 1:
        word = words[0]
        keep = 1 if _is_cjk(word[0]) or len(word) <= 3 else 2
        return word[:keep] + "*" * max(len(word) - keep, 1)
    return " ".join([words[0], *("%s." % word[0] for word in words[1:])])
