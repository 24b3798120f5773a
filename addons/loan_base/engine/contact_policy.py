"""The contact gate: may this person be contacted on this channel now?

A :class:`Policy` is the data of a jurisdiction's conduct rules (contact window, caps, third
party rules); :func:`contact_verdict` applies it to one planned contact, given the person's
consents and refusals and the past attempts, and says why not when it is not allowed.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .exceptions import EngineError

VOICE_CHANNELS = frozenset({"call", "visit"})


@dataclass(frozen=True)
class Policy:
    """Conduct rules of one jurisdiction. ``None`` disables a limit.

    * ``window_start``/``window_end``: hours of the local day (``7.5`` is 07:30) when contact
      is allowed, ``window_start <= local time < window_end``, in the person's time zone
      (``tz`` when the person has none).
    * ``daily_cap``: sent contacts per person and local calendar day, all channels together.
    * ``number_daily_cap``: attempts to one phone number per local calendar day.
    * ``rolling_cap`` in ``rolling_days``: voice contacts (calls, visits) per person in any
      period of that many days.
    * ``quiet_after_conversation_days``: no voice contact for that many days after a
      conversation with the person.
    * ``min_gap_minutes``: minimum time since the last contact with the person, any channel.
    * ``non_obligor_debt_disclosure``: whether debt content may go to someone not obliged to
      pay (references, relatives, employer).
    """

    code: str
    tz: str
    window_start: float
    window_end: float
    daily_cap: int | None = None
    number_daily_cap: int | None = None
    rolling_cap: int | None = None
    rolling_days: int | None = None
    min_gap_minutes: int | None = None
    quiet_after_conversation_days: int | None = None
    non_obligor_debt_disclosure: bool = False

    def __post_init__(self):
        if not 0 <= self.window_start < self.window_end <= 24:
            raise EngineError(
                "invalid_window", window_start=self.window_start, window_end=self.window_end
            )


@dataclass(frozen=True)
class Person:
    """What the gate needs to know about the person to contact."""

    tz: str | None = None
    is_obligor: bool = True
    consent: bool = True
    refused_channels: frozenset = frozenset()
    do_not_call: bool = False


@dataclass(frozen=True)
class PastAttempt:
    """One earlier attempt with the person. ``at`` is an aware datetime.

    Only ``counted`` attempts (sent or made) count towards caps and gaps;
    ``conversation`` marks an attempt in which the person was actually spoken to.
    """

    at: datetime
    channel: str
    number: str | None = None
    counted: bool = True
    conversation: bool = False


@dataclass(frozen=True)
class Verdict:
    """The gate's answer: ``code`` is ``'allowed'`` or the rule that blocks the contact."""

    allowed: bool
    code: str
    params: dict = field(default_factory=dict)


PRESETS = {
    # Circular 43/2016/TT-NHNN art. 7 as amended by Circular 18/2019/TT-NHNN.
    "VN": Policy("VN", "Asia/Ho_Chi_Minh", 7.0, 21.0, daily_cap=5),
    # China Banking Association consumer-loan collection guideline (trial), 2026.
    "CN": Policy("CN", "Asia/Shanghai", 8.0, 22.0, number_daily_cap=6),
    # Regulation F, 12 CFR 1006.6(b)(1)(i) and 1006.14(b)(2).
    "US": Policy(
        "US",
        "America/New_York",
        8.0,
        21.0,
        rolling_cap=7,
        rolling_days=7,
        quiet_after_conversation_days=7,
    ),
}


def _zone(name):
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise EngineError("invalid_timezone", tz=name) from None


def _aware(value):
    if value.tzinfo is None or value.utcoffset() is None:
        raise EngineError("naive_datetime", value=value.isoformat())
    return value


def _hhmm(hours):
    minutes = round(hours * 60)
    return "%02d:%02d" % divmod(minutes, 60)


def _blocked(code, **params):
    return Verdict(False, code, params)


def contact_verdict(
    policy,
    person,
    when,
    channel,
    history,
    debt_content=False,
    number=None,
    voice_channels=VOICE_CHANNELS,
):
    """Whether ``person`` may be contacted on ``channel`` at ``when`` under ``policy``.

    ``when`` and the ``at`` of every :class:`PastAttempt` in ``history`` are aware
    datetimes; attempts after ``when`` are ignored. ``number`` identifies the phone number
    used (for the per-number cap). Checks run in this order and the first failure is
    returned: ``no_consent``, ``channel_refused``, ``do_not_call`` (voice channels),
    ``third_party_disclosure``, ``outside_window``, ``daily_cap``, ``number_cap``,
    ``rolling_cap`` and ``after_conversation`` (voice channels), ``min_gap``.

    >>> from datetime import timezone
    >>> vn, debtor = PRESETS["VN"], Person()
    >>> at = datetime(2025, 3, 3, 13, 55, tzinfo=timezone.utc)  # 20:55 in Ho Chi Minh City
    >>> contact_verdict(vn, debtor, at, "sms", [])
    Verdict(allowed=True, code='allowed', params={})
    >>> late = contact_verdict(vn, debtor, at + timedelta(minutes=10), "sms", [])
    >>> late.code, late.params
    ('outside_window', {'local_time': '21:05', 'window': '07:00-21:00'})
    >>> sent = [PastAttempt(at - timedelta(hours=h), "sms") for h in (1, 2, 3)]
    >>> sent.append(PastAttempt(at - timedelta(hours=4), "call"))
    >>> contact_verdict(vn, debtor, at, "call", sent).code
    'allowed'
    >>> sent.append(PastAttempt(at - timedelta(hours=5), "zalo"))
    >>> contact_verdict(vn, debtor, at, "call", sent)
    Verdict(allowed=False, code='daily_cap', params={'cap': 5, 'count': 5})
    >>> contact_verdict(vn, Person(is_obligor=False), at, "sms", [], debt_content=True).code
    'third_party_disclosure'
    """
    when = _aware(when)
    for attempt in history:
        _aware(attempt.at)
    if not person.consent:
        return _blocked("no_consent")
    if channel in person.refused_channels:
        return _blocked("channel_refused", channel=channel)
    voice = channel in voice_channels
    if voice and person.do_not_call:
        return _blocked("do_not_call")
    if not person.is_obligor and debt_content and not policy.non_obligor_debt_disclosure:
        return _blocked("third_party_disclosure")

    zone = _zone(person.tz or policy.tz)
    local = when.astimezone(zone)
    seconds = local.hour * 3600 + local.minute * 60 + local.second
    if not round(policy.window_start * 3600) <= seconds < round(policy.window_end * 3600):
        return _blocked(
            "outside_window",
            local_time=local.strftime("%H:%M"),
            window=f"{_hhmm(policy.window_start)}-{_hhmm(policy.window_end)}",
        )

    past = sorted((a for a in history if a.counted and a.at <= when), key=lambda a: a.at)
    today = [a for a in past if a.at.astimezone(zone).date() == local.date()]
    if policy.daily_cap is not None and len(today) >= policy.daily_cap:
        return _blocked("daily_cap", cap=policy.daily_cap, count=len(today))
    if policy.number_daily_cap is not None and number is not None:
        count = sum(1 for a in today if a.number == number)
        if count >= policy.number_daily_cap:
            return _blocked("number_cap", cap=policy.number_daily_cap, count=count)
    if voice and policy.rolling_cap is not None and policy.rolling_days:
        since = when - timedelta(days=policy.rolling_days)
        count = sum(1 for a in past if a.at > since and a.channel in voice_channels)
        if count >= policy.rolling_cap:
            return _blocked(
                "rolling_cap", cap=policy.rolling_cap, days=policy.rolling_days, count=count
            )
    if voice and policy.quiet_after_conversation_days:
        since = when - timedelta(days=policy.quiet_after_conversation_days)
        talks = [a.at for a in history if a.conversation and since < a.at <= when]
        if talks:
            return _blocked(
                "after_conversation",
                days=policy.quiet_after_conversation_days,
                last=max(talks).isoformat(),
            )
    gap = timedelta(minutes=policy.min_gap_minutes or 0)
    if past and when - past[-1].at < gap:
        return _blocked("min_gap", minutes=policy.min_gap_minutes, last=past[-1].at.isoformat())
    return Verdict(True, "allowed", {})


def next_window(policy, person, when):
    """The first moment at or after ``when`` (aware) inside ``policy``'s contact window,
    in the person's time zone (the policy's when the person has none): ``when`` itself
    inside the window, else the window's opening, that day or the next. A message the
    window blocks is sent then.

    >>> vn = PRESETS["VN"]  # 07:00-21:00
    >>> from datetime import timezone
    >>> night = datetime(2025, 3, 3, 15, 30, tzinfo=timezone.utc)  # 22:30 in Ho Chi Minh City
    >>> next_window(vn, Person(), night).isoformat()
    '2025-03-04T07:00:00+07:00'
    >>> dawn = datetime(2025, 3, 3, 22, 0, tzinfo=timezone.utc)  # 05:00 on the 4th
    >>> next_window(vn, Person(), dawn).isoformat()
    '2025-03-04T07:00:00+07:00'
    >>> next_window(vn, Person(tz="Asia/Tokyo"), night).isoformat()  # 00:30 in Tokyo
    '2025-03-04T07:00:00+09:00'
    >>> noon = datetime(2025, 3, 3, 5, 0, tzinfo=timezone.utc)
    >>> next_window(vn, Person(), noon) == noon
    True
    """
    when = _aware(when)
    zone = _zone(person.tz or policy.tz)
    local = when.astimezone(zone)
    seconds = local.hour * 3600 + local.minute * 60 + local.second + local.microsecond / 1e6
    start, end = round(policy.window_start * 3600), round(policy.window_end * 3600)
    if start <= seconds < end:
        return when
    day = local.date() if seconds < start else local.date() + timedelta(days=1)
    # the opening's wall-clock time, which daylight saving days keep
    return datetime.combine(day, (datetime.min + timedelta(seconds=start)).time(), zone)
