#!/usr/bin/env python3
"""Benchmark of the schedule engine. Prints figures; asserts nothing.

    python3 bench/schedule_bench.py [--seconds 3]

Builds 12-period monthly annuity schedules of VND loans (rounding 1, half-up), each from its
own :class:`ScheduleTerms` (validation included), for about ``--seconds`` seconds per case,
and prints how many schedules per second the engine builds. The target is 20,000 a second.
"""

import argparse
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "addons" / "loan_base"))

from engine.schedule import ScheduleTerms, build_schedule  # noqa: E402

TARGET = 20_000


def out(msg):
    sys.stdout.write(msg + "\n")
    sys.stdout.flush()


def run(seconds, **options):
    """Schedules built per second, and the number built, over about ``seconds`` seconds."""
    start_date = date(2025, 1, 1)
    rate = Decimal("0.18")
    count = 0
    deadline = time.perf_counter() + seconds
    began = time.perf_counter()
    while True:
        for i in range(500):
            terms = ScheduleTerms(
                principal=Decimal(10_000_000 + 1_000 * i),
                annual_rate=rate,
                term=12,
                method="annuity",
                start_date=start_date + timedelta(days=i % 28),
                rounding=Decimal(1),
                rounding_mode="half_up",
                **options,
            )
            build_schedule(terms)
        count += 500
        now = time.perf_counter()
        if now >= deadline:
            return count / (now - began), count


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    for label, options in (
        ("periodic interest", {}),
        ("daily interest (act/365)", {"interest_basis": "daily"}),
    ):
        rate, count = run(args.seconds, **options)
        out(
            "12-period annuity, VND, half-up, %s: %.0f schedules/s (%d built, target %d/s)"
            % (label, rate, count, TARGET)
        )


if __name__ == "__main__":
    main()
