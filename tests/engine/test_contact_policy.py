import dataclasses
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from engine.contact_policy import (
    PRESETS,
    PastAttempt,
    Person,
    Policy,
    Verdict,
    contact_verdict,
    next_window,
)
from engine.exceptions import EngineError

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
VN, CN, US = PRESETS["VN"], PRESETS["CN"], PRESETS["US"]
DEBTOR = Person()


def hcm(hour, minute=0, day=3):
    return datetime(2025, 3, day, hour, minute, tzinfo=HCM)


def sent(when, channel="sms", **kwargs):
    return PastAttempt(at=when.astimezone(timezone.utc), channel=channel, **kwargs)


# ------------------------------------------------------------------ presets and types
def test_presets():
    assert (VN.tz, VN.window_start, VN.window_end, VN.daily_cap) == ("Asia/Ho_Chi_Minh", 7, 21, 5)
    assert (CN.tz, CN.window_start, CN.window_end, CN.number_daily_cap) == (
        "Asia/Shanghai",
        8,
        22,
        6,
    )
    assert (US.tz, US.window_start, US.window_end) == ("America/New_York", 8, 21)
    assert (US.rolling_cap, US.rolling_days, US.quiet_after_conversation_days) == (7, 7, 7)
    assert not any(policy.non_obligor_debt_disclosure for policy in PRESETS.values())
    assert set(PRESETS) == {policy.code for policy in PRESETS.values()}


def test_types_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        VN.daily_cap = 10
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEBTOR.consent = False


@pytest.mark.parametrize(("start", "end"), [(21.0, 7.0), (7.0, 7.0), (-1.0, 7.0), (7.0, 25.0)])
def test_policy_window_must_lie_within_the_day(start, end):
    with pytest.raises(EngineError) as info:
        Policy("X", "UTC", start, end)
    assert info.value.code == "invalid_window"


# ------------------------------------------------------------------ contact window
def test_vietnam_window():
    verdict = contact_verdict(VN, DEBTOR, hcm(21, 5), "sms", [])
    assert verdict == Verdict(
        False, "outside_window", {"local_time": "21:05", "window": "07:00-21:00"}
    )
    assert contact_verdict(VN, DEBTOR, hcm(20, 55), "sms", []) == Verdict(True, "allowed", {})
    assert contact_verdict(VN, DEBTOR, hcm(7, 0), "call", []).allowed
    assert contact_verdict(VN, DEBTOR, hcm(6, 59), "call", []).code == "outside_window"
    assert contact_verdict(VN, DEBTOR, hcm(21, 0), "call", []).code == "outside_window"


def test_window_uses_utc_input_in_the_persons_zone():
    # 13:55 UTC is 20:55 in Ho Chi Minh City and 21:55 in Shanghai.
    when = datetime(2025, 3, 3, 13, 55, tzinfo=timezone.utc)
    assert contact_verdict(VN, DEBTOR, when, "sms", []).allowed
    verdict = contact_verdict(VN, Person(tz="Asia/Shanghai"), when, "sms", [])
    assert verdict.code == "outside_window"
    assert verdict.params["local_time"] == "21:55"


def test_window_with_minutes():
    policy = dataclasses.replace(VN, window_start=7.5, window_end=20.75)
    assert contact_verdict(policy, DEBTOR, hcm(7, 29), "sms", []).params == {
        "local_time": "07:29",
        "window": "07:30-20:45",
    }
    assert contact_verdict(policy, DEBTOR, hcm(20, 44), "sms", []).allowed


def test_us_window_follows_daylight_saving_time():
    # 12:30 UTC is 07:30 in New York in winter (EST) but 08:30 in summer (EDT).
    winter = datetime(2025, 1, 15, 12, 30, tzinfo=timezone.utc)
    summer = datetime(2025, 7, 15, 12, 30, tzinfo=timezone.utc)
    assert contact_verdict(US, DEBTOR, winter, "call", []).code == "outside_window"
    assert contact_verdict(US, DEBTOR, summer, "call", []).allowed


# ------------------------------------------------------------------ consent and refusals
def test_no_consent_comes_first():
    person = Person(consent=False, refused_channels=frozenset({"sms"}), do_not_call=True)
    assert contact_verdict(VN, person, hcm(3), "sms", []) == Verdict(False, "no_consent", {})


def test_refused_channel():
    person = Person(refused_channels=frozenset({"zalo"}))
    verdict = contact_verdict(VN, person, hcm(10), "zalo", [])
    assert verdict == Verdict(False, "channel_refused", {"channel": "zalo"})
    assert contact_verdict(VN, person, hcm(10), "sms", []).allowed


def test_do_not_call_blocks_voice_channels_only():
    person = Person(do_not_call=True)
    assert contact_verdict(VN, person, hcm(10), "call", []).code == "do_not_call"
    assert contact_verdict(VN, person, hcm(10), "visit", []).code == "do_not_call"
    assert contact_verdict(VN, person, hcm(10), "sms", []).allowed
    verdict = contact_verdict(VN, person, hcm(10), "sms", [], voice_channels=frozenset({"sms"}))
    assert verdict.code == "do_not_call"


def test_debt_content_to_non_obligor():
    reference = Person(is_obligor=False)
    verdict = contact_verdict(VN, reference, hcm(10), "call", [], debt_content=True)
    assert verdict == Verdict(False, "third_party_disclosure", {})
    assert contact_verdict(VN, reference, hcm(10), "call", [], debt_content=False).allowed
    assert contact_verdict(VN, DEBTOR, hcm(10), "call", [], debt_content=True).allowed
    lenient = dataclasses.replace(VN, non_obligor_debt_disclosure=True)
    assert contact_verdict(lenient, reference, hcm(10), "call", [], debt_content=True).allowed


# ------------------------------------------------------------------ caps
def test_vietnam_daily_cap_counts_all_channels():
    now = hcm(18)
    history = [
        sent(hcm(8), "sms"),
        sent(hcm(9), "call"),
        sent(hcm(10), "zalo"),
        sent(hcm(11), "call"),
    ]
    assert contact_verdict(VN, DEBTOR, now, "sms", history).allowed  # the 5th
    history.append(sent(hcm(12), "sms"))
    assert contact_verdict(VN, DEBTOR, now, "call", history) == Verdict(
        False, "daily_cap", {"cap": 5, "count": 5}
    )


def test_daily_cap_ignores_uncounted_and_other_days():
    history = [sent(hcm(8 + i)) for i in range(4)]
    history.append(sent(hcm(12), counted=False))  # failed before it was sent
    history += [sent(hcm(20, day=2)) for _ in range(3)]  # yesterday evening
    assert contact_verdict(VN, DEBTOR, hcm(18), "sms", history).allowed


def test_daily_cap_uses_the_local_day_not_utc():
    # 06:50 local on March 3rd is 23:50 UTC on March 2nd: the same local day as 18:00.
    history = [sent(hcm(6, 50))] + [sent(hcm(8 + i)) for i in range(4)]
    assert history[0].at.day == 2
    assert contact_verdict(VN, DEBTOR, hcm(18), "sms", history).code == "daily_cap"


def test_attempts_after_when_are_ignored():
    later = [sent(hcm(19)) for _ in range(5)]
    assert contact_verdict(VN, DEBTOR, hcm(18), "sms", later).allowed


def test_china_number_cap():
    when = datetime(2025, 3, 3, 20, 0, tzinfo=SHANGHAI)
    history = [
        sent(when - timedelta(hours=h), "call", number="phone-1", counted=True) for h in range(1, 7)
    ]
    verdict = contact_verdict(CN, DEBTOR, when, "call", history, number="phone-1")
    assert verdict == Verdict(False, "number_cap", {"cap": 6, "count": 6})
    assert contact_verdict(CN, DEBTOR, when, "call", history, number="phone-2").allowed
    assert contact_verdict(CN, DEBTOR, when, "call", history[:5], number="phone-1").allowed


def test_china_window():
    for hour, minute, allowed in [(7, 59, False), (8, 0, True), (21, 59, True), (22, 0, False)]:
        when = datetime(2025, 3, 3, hour, minute, tzinfo=SHANGHAI)
        assert contact_verdict(CN, DEBTOR, when, "call", []).allowed is allowed


def test_us_eighth_call_in_seven_days():
    now = datetime(2025, 3, 10, 12, 0, tzinfo=NEW_YORK)
    calls = [sent(now - timedelta(days=d, hours=1), "call") for d in range(7)]
    assert contact_verdict(US, DEBTOR, now, "call", calls[:6]).allowed
    assert contact_verdict(US, DEBTOR, now, "call", calls) == Verdict(
        False, "rolling_cap", {"cap": 7, "days": 7, "count": 7}
    )
    # The oldest call leaves the 7-day period: 7 x 24 hours after it, a call is allowed again.
    oldest = min(call.at for call in calls)
    assert contact_verdict(US, DEBTOR, oldest + timedelta(days=7), "call", calls).allowed


def test_us_rolling_cap_counts_calls_not_messages():
    now = datetime(2025, 3, 10, 12, 0, tzinfo=NEW_YORK)
    history = [sent(now - timedelta(hours=h), "email") for h in range(1, 10)]
    assert contact_verdict(US, DEBTOR, now, "call", history).allowed
    calls = [sent(now - timedelta(hours=h), "call") for h in range(1, 8)]
    assert contact_verdict(US, DEBTOR, now, "email", calls).allowed


def test_us_quiet_period_after_conversation():
    now = datetime(2025, 3, 10, 12, 0, tzinfo=NEW_YORK)
    talk = sent(now - timedelta(days=3), "call", conversation=True)
    verdict = contact_verdict(US, DEBTOR, now, "call", [talk])
    assert verdict.code == "after_conversation"
    assert verdict.params["days"] == 7
    assert contact_verdict(US, DEBTOR, now, "email", [talk]).allowed
    old_talk = sent(now - timedelta(days=8), "call", conversation=True)
    assert contact_verdict(US, DEBTOR, now, "call", [old_talk]).allowed


def test_min_gap():
    policy = dataclasses.replace(VN, min_gap_minutes=60)
    history = [sent(hcm(9, 30), "call")]
    verdict = contact_verdict(policy, DEBTOR, hcm(10), "sms", history)
    assert verdict.code == "min_gap"
    assert verdict.params["minutes"] == 60
    assert contact_verdict(policy, DEBTOR, hcm(10, 30), "sms", history).allowed
    uncounted = [sent(hcm(9, 59), "call", counted=False)]
    assert contact_verdict(policy, DEBTOR, hcm(10), "sms", uncounted).allowed


def test_check_order_window_before_caps():
    history = [sent(hcm(8 + i)) for i in range(5)]
    assert contact_verdict(VN, DEBTOR, hcm(21, 30), "sms", history).code == "outside_window"
    assert contact_verdict(VN, DEBTOR, hcm(20, 30), "sms", history).code == "daily_cap"


# ------------------------------------------------------------------ input errors
def test_naive_datetime_refused():
    with pytest.raises(EngineError) as info:
        contact_verdict(VN, DEBTOR, datetime(2025, 3, 3, 10, 0), "sms", [])
    assert info.value.code == "naive_datetime"
    with pytest.raises(EngineError) as info:
        contact_verdict(VN, DEBTOR, hcm(10), "sms", [PastAttempt(datetime(2025, 3, 3), "sms")])
    assert info.value.code == "naive_datetime"


def test_unknown_timezone():
    with pytest.raises(EngineError) as info:
        contact_verdict(VN, Person(tz="Mars/Olympus"), hcm(10), "sms", [])
    assert info.value.code == "invalid_timezone"
    assert info.value.params == {"tz": "Mars/Olympus"}


# ------------------------------------------------------------------ the next window
@pytest.mark.parametrize(
    ("policy", "tz", "local", "expected"),
    [
        # inside the window: now
        (
            VN,
            None,
            datetime(2025, 3, 3, 20, 59, tzinfo=HCM),
            datetime(2025, 3, 3, 20, 59, tzinfo=HCM),
        ),
        # after it: the next day's opening; before it: the same day's
        (VN, None, datetime(2025, 3, 3, 21, 0, tzinfo=HCM), datetime(2025, 3, 4, 7, 0, tzinfo=HCM)),
        (VN, None, datetime(2025, 3, 4, 6, 59, tzinfo=HCM), datetime(2025, 3, 4, 7, 0, tzinfo=HCM)),
        # in the person's time zone, not the policy's: 22:30 in Shanghai is 21:30 in Ho Chi
        # Minh City, inside China's 08:00-22:00 there
        (
            CN,
            "Asia/Ho_Chi_Minh",
            datetime(2025, 3, 3, 22, 30, tzinfo=SHANGHAI),
            datetime(2025, 3, 3, 22, 30, tzinfo=SHANGHAI),
        ),
        (
            CN,
            None,
            datetime(2025, 3, 3, 22, 30, tzinfo=SHANGHAI),
            datetime(2025, 3, 4, 8, 0, tzinfo=SHANGHAI),
        ),
        # a daylight saving morning keeps the wall-clock opening (New York, 9 March 2025)
        (
            US,
            None,
            datetime(2025, 3, 9, 1, 0, tzinfo=NEW_YORK),
            datetime(2025, 3, 9, 8, 0, tzinfo=NEW_YORK),
        ),
        (
            US,
            None,
            datetime(2025, 11, 1, 23, 0, tzinfo=NEW_YORK),
            datetime(2025, 11, 2, 8, 0, tzinfo=NEW_YORK),
        ),
    ],
)
def test_next_window(policy, tz, local, expected):
    got = next_window(policy, Person(tz=tz), local.astimezone(timezone.utc))
    assert got == expected
    assert contact_verdict(policy, Person(tz=tz), got, "sms", []).allowed


@pytest.mark.parametrize("minutes", range(0, 24 * 60, 7))
def test_next_window_is_the_first_allowed_minute(minutes):
    """Property: the answer is allowed, and every minute between ``when`` and it is not."""
    when = datetime(2025, 3, 3, tzinfo=HCM) + timedelta(minutes=minutes)
    got = next_window(VN, DEBTOR, when)
    assert got >= when
    assert contact_verdict(VN, DEBTOR, got, "sms", []).allowed
    probe = when
    while probe < got:
        assert contact_verdict(VN, DEBTOR, probe, "sms", []).code == "outside_window"
        probe += timedelta(minutes=1)
