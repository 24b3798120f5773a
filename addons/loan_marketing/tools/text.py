"""Reading what people type (sheets, forms, replies): plain functions, no ORM."""

import re
import unicodedata

# how people say yes to a consent question (after normalise_header)
YES = {
    "yes",
    "y",
    "x",
    "1",
    "true",
    "on",
    "ok",
    "agree",
    "agreed",
    "co",
    "dong y",
    "是",
    "同意",
    "有",
}
CHECK_MARKS = {"✓", "✔", "☑", "✅"}


def normalise_header(text):
    """``text`` lower-cased, without Vietnamese marks and punctuation, single-spaced.

    >>> normalise_header(" Số điện thoại (SĐT) ")
    'so dien thoai sdt'
    >>> normalise_header("Amount spent (VND)"), normalise_header("手机号")
    ('amount spent vnd', '手机号')
    """
    text = unicodedata.normalize("NFKD", str(text or "")).replace("đ", "d").replace("Đ", "D")
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def is_yes(value):
    """Whether a consent cell says yes, in the words sheets use.

    >>> [is_yes(v) for v in ("Đồng ý", "có", "✓", "Yes", "同意", "Không", "", "no")]
    [True, True, True, True, True, False, False, False]
    """
    text = str(value or "").strip()
    return text in CHECK_MARKS or normalise_header(text) in YES
