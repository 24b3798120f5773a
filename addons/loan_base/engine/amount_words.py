"""Amounts in words as accounting vouchers write them, in Vietnamese and in Chinese.

A Vietnamese receipt voucher (phiếu thu, form 01-TT) repeats its amount in words ("Viết
bằng chữ"), a Chinese one in the capital numerals of financial documents (大写金额), which
no one can alter by adding a stroke. ``num2words`` covers neither the way vouchers need:
it has no Chinese, and reads 1,000,005 in Vietnamese as "một triệu lẻ năm" where an
accountant writes "một triệu không trăm lẻ năm".

Amounts are :class:`decimal.Decimal` (or int), never negative; the caller rounds them to
the currency first and gives the number of decimals it keeps.
"""

from decimal import ROUND_HALF_UP, Decimal

from .exceptions import EngineError

VI_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
# groups of three digits: units, thousands, millions, billions; above, they repeat with "tỷ"
VI_SCALES = ("", "nghìn", "triệu")

ZH_DIGITS = "零壹贰叁肆伍陆柒捌玖"
ZH_PLACES = ("", "拾", "佰", "仟")


def _split(amount, decimals):
    amount = Decimal(amount)
    if amount < 0:
        raise EngineError("invalid_amount", value=str(amount))
    scaled = int((amount * 10**decimals).to_integral_value(rounding=ROUND_HALF_UP))
    return divmod(scaled, 10**decimals)


def _vi_group(number, full):
    """Read 0 < number < 1000; ``full`` reads the hundreds even when zero (inner groups)."""
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    words = []
    if hundreds or full:
        words += [VI_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("lẻ")
    elif tens == 1:
        words.append("mười")
    else:
        words += [VI_DIGITS[tens], "mươi"]
    if units == 1 and tens >= 2:
        words.append("mốt")
    elif units == 5 and tens >= 1:
        words.append("lăm")
    elif units:
        words.append(VI_DIGITS[units])
    return words


def vietnamese_number(number):
    """Read a whole number in Vietnamese, lower case.

    >>> vietnamese_number(3000000)
    'ba triệu'
    >>> vietnamese_number(1000005)
    'một triệu không trăm lẻ năm'
    >>> vietnamese_number(12277281)
    'mười hai triệu hai trăm bảy mươi bảy nghìn hai trăm tám mươi mốt'
    >>> vietnamese_number(2_015_000_000)
    'hai tỷ không trăm mười lăm triệu'
    >>> vietnamese_number(0)
    'không'
    """
    number = int(number)
    if number < 0:
        raise EngineError("invalid_amount", value=str(number))
    if number == 0:
        return VI_DIGITS[0]
    billions, below = divmod(number, 10**9)
    words = []
    if billions:
        words += [vietnamese_number(billions), "tỷ"]
    groups = [(below // 10 ** (3 * i)) % 1000 for i in (2, 1, 0)]
    for index, group in enumerate(groups):
        if not group:
            continue
        words += _vi_group(group, full=bool(words))
        scale = VI_SCALES[2 - index]
        if scale:
            words.append(scale)
    return " ".join(words)


def vietnamese_amount(amount, unit, subunit="", decimals=0):
    """An amount in Vietnamese words as a voucher writes it, first letter capital.

    >>> vietnamese_amount(3000000, "đồng")
    'Ba triệu đồng'
    >>> vietnamese_amount(Decimal("1250.50"), "đô la Mỹ", "xu", 2)
    'Một nghìn hai trăm năm mươi đô la Mỹ và năm mươi xu'
    """
    whole, cents = _split(amount, decimals)
    text = "%s %s" % (vietnamese_number(whole), unit)
    if cents:
        text += " và %s %s" % (vietnamese_number(cents), subunit)
    return text[:1].upper() + text[1:]


def _zh_section(number):
    """Capital numerals of 0 < number < 10000, zeros inside read once, none at the end."""
    text = ""
    zero = False
    for place in (3, 2, 1, 0):
        digit = (number // 10**place) % 10
        if digit:
            if zero and text:
                text += ZH_DIGITS[0]
            text += ZH_DIGITS[digit] + ZH_PLACES[place]
            zero = False
        else:
            zero = True
    return text


def chinese_number(number):
    """A whole number in the capital numerals of financial documents (大写), below 10¹⁶.

    >>> chinese_number(3000000)
    '叁佰万'
    >>> chinese_number(10005)
    '壹万零伍'
    >>> chinese_number(1000500)
    '壹佰万零伍佰'
    >>> chinese_number(100000001)
    '壹亿零壹'
    >>> chinese_number(1_000_100_010_000)
    '壹万零壹亿零壹万'
    >>> chinese_number(12277281)
    '壹仟贰佰贰拾柒万柒仟贰佰捌拾壹'
    >>> chinese_number(0)
    '零'
    """
    number = int(number)
    if number < 0 or number >= 10**16:
        raise EngineError("invalid_amount", value=str(number))
    if number == 0:
        return ZH_DIGITS[0]
    if number >= 10**8:
        high, low = divmod(number, 10**8)
        text = chinese_number(high) + "亿"
        if low:
            text += (ZH_DIGITS[0] if low < 10**7 else "") + chinese_number(low)
        return text
    high, low = divmod(number, 10**4)
    text = _zh_section(high) + "万" if high else ""
    if low:
        text += (ZH_DIGITS[0] if text and low < 1000 else "") + _zh_section(low)
    return text


def chinese_amount(amount, unit="元", decimals=2, prefix=""):
    """An amount as a Chinese voucher writes it: 元, then 角 and 分, or 整 when whole.
    Only amounts in yuan have 角 and 分; other currencies read their decimals as a number.

    >>> chinese_amount(3000000, prefix="人民币")
    '人民币叁佰万元整'
    >>> chinese_amount(Decimal("1234.56"))
    '壹仟贰佰叁拾肆元伍角陆分'
    >>> chinese_amount(Decimal("100.05"))
    '壹佰元零伍分'
    >>> chinese_amount(Decimal("0.50"))
    '伍角整'
    >>> chinese_amount(3000000, unit="越南盾", decimals=0)
    '叁佰万越南盾整'
    """
    whole, cents = _split(amount, decimals)
    text = prefix
    if whole or not cents:
        text += chinese_number(whole) + unit
    if not cents:
        return text + "整"
    if unit != "元" or decimals != 2:
        return text + "点" + "".join(ZH_DIGITS[int(c)] for c in str(cents).zfill(decimals))
    jiao, fen = divmod(cents, 10)
    if jiao:
        text += ZH_DIGITS[jiao] + "角"
    elif whole:
        text += ZH_DIGITS[0]
    if fen:
        return text + ZH_DIGITS[fen] + "分"
    return text + "整"
