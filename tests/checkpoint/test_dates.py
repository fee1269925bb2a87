"""checkpoint.dates: calendar-month arithmetic, the s.127 limit and Europe/London days.

Pure functions: no database, no clock.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checkpoint import dates

ANY_DAY = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- contract_end -------------------------------------------------------------------------


def test_contract_from_31_october_ends_28_february():
    assert dates.contract_end(date(2026, 10, 31), 4) == date(2027, 2, 28)


def test_contract_from_31_october_before_a_leap_year_ends_29_february():
    assert dates.contract_end(date(2027, 10, 31), 4) == date(2028, 2, 29)


def test_contract_from_an_ordinary_date_ends_on_the_corresponding_date():
    assert dates.contract_end(date(2026, 3, 2), 4) == date(2026, 7, 2)


@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [
        (date(2026, 5, 31), date(2026, 9, 30)),  # 31st into a 30-day month
        (date(2026, 6, 30), date(2026, 10, 30)),  # 30th stays the 30th, not month-end
        (date(2026, 8, 31), date(2026, 12, 31)),
        (date(2026, 11, 30), date(2027, 3, 30)),
    ],
)
def test_contract_from_a_month_end_ends_on_the_corresponding_date_or_last_day(starts_on, ends_on):
    assert dates.contract_end(starts_on, 4) == ends_on


def test_contract_length_in_months_is_configurable():
    assert dates.contract_end(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert dates.contract_end(date(2026, 1, 15), 6) == date(2026, 7, 15)


@pytest.mark.parametrize("months", [0, -4])
def test_contract_of_less_than_one_month_is_refused(months):
    with pytest.raises(ValueError, match="at least one month"):
        dates.contract_end(date(2026, 3, 2), months)


@given(ANY_DAY)
def test_four_month_contract_is_120_to_123_days_and_keeps_the_day_of_month(starts_on):
    ends_on = dates.contract_end(starts_on, 4)
    assert 120 <= (ends_on - starts_on).days <= 123
    # The corresponding date, or the last day of a shorter month.
    assert ends_on.day == starts_on.day or (
        ends_on.day < starts_on.day and (ends_on + timedelta(days=1)).day == 1
    )


# --- prosecution_deadline (Magistrates' Courts Act 1980 s.127) ----------------------------


def test_summary_offence_on_1_january_must_be_charged_by_1_july():
    deadline = dates.prosecution_deadline(summary_only=True, committed_on=date(2026, 1, 1))
    assert deadline == date(2026, 7, 1)


def test_summary_offence_on_31_august_runs_out_on_28_february():
    deadline = dates.prosecution_deadline(summary_only=True, committed_on=date(2026, 8, 31))
    assert deadline == date(2027, 2, 28)


def test_summary_offence_on_31_august_before_a_leap_year_runs_out_on_29_february():
    deadline = dates.prosecution_deadline(summary_only=True, committed_on=date(2027, 8, 31))
    assert deadline == date(2028, 2, 29)


def test_either_way_and_indictable_offences_have_no_time_limit():
    assert dates.prosecution_deadline(summary_only=False, committed_on=date(2026, 1, 1)) is None


@given(ANY_DAY)
def test_summary_deadline_is_181_to_184_days_after_the_offence(committed_on):
    deadline = dates.prosecution_deadline(summary_only=True, committed_on=committed_on)
    assert 181 <= (deadline - committed_on).days <= 184


def test_earliest_deadline_is_the_earliest_that_exists():
    deadlines = [None, date(2026, 9, 1), date(2026, 7, 1), None]
    assert dates.earliest_deadline(deadlines) == date(2026, 7, 1)


def test_earliest_deadline_is_none_when_no_offence_has_a_limit():
    assert dates.earliest_deadline([None, None]) is None
    assert dates.earliest_deadline([]) is None


# --- counting days ------------------------------------------------------------------------


def test_days_until_counts_down_and_goes_negative_after_the_date():
    target = date(2026, 7, 1)
    assert dates.days_until(target, date(2026, 6, 28)) == 3
    assert dates.days_until(target, target) == 0
    assert dates.days_until(target, date(2026, 7, 3)) == -2


def test_contract_day_counts_the_first_day_as_day_1():
    starts, ends = date(2026, 3, 2), date(2026, 7, 2)
    assert dates.contract_day(starts, ends, starts) == (1, 123)
    assert dates.contract_day(starts, ends, date(2026, 3, 11)) == (10, 123)
    assert dates.contract_day(starts, ends, ends) == (123, 123)


def test_contract_day_is_0_before_the_start_and_the_total_after_the_end():
    starts, ends = date(2026, 3, 2), date(2026, 7, 2)
    assert dates.contract_day(starts, ends, date(2026, 2, 1)) == (0, 123)
    assert dates.contract_day(starts, ends, date(2026, 12, 25)) == (123, 123)


def test_exactly_three_months_later_is_within_three_months():
    assert dates.within_months(date(2025, 12, 2), date(2026, 3, 2), 3)


def test_three_months_and_a_day_later_is_not_within_three_months():
    assert not dates.within_months(date(2025, 12, 1), date(2026, 3, 2), 3)


def test_within_months_from_30_november_ends_on_the_last_day_of_february():
    assert dates.within_months(date(2025, 11, 30), date(2026, 2, 28), 3)
    assert not dates.within_months(date(2025, 11, 30), date(2026, 3, 1), 3)


@given(ANY_DAY, st.integers(min_value=1, max_value=24))
def test_within_months_holds_to_the_contract_end_and_not_a_day_beyond(start, months):
    last = dates.contract_end(start, months)
    assert dates.within_months(start, last, months)
    assert not dates.within_months(start, last + timedelta(days=1), months)


# --- ages ---------------------------------------------------------------------------------


def test_age_goes_up_on_the_birthday_not_before():
    born = date(2000, 6, 15)
    assert dates.age_on(born, date(2026, 6, 14)) == 25
    assert dates.age_on(born, date(2026, 6, 15)) == 26


def test_leap_day_birthday_counts_on_29_february_in_a_leap_year():
    born = date(2004, 2, 29)
    assert dates.age_on(born, date(2024, 2, 28)) == 19
    assert dates.age_on(born, date(2024, 2, 29)) == 20


def test_leap_day_birthday_has_counted_by_1_march_in_a_common_year():
    assert dates.age_on(date(2004, 2, 29), date(2025, 3, 1)) == 21


def test_leap_day_birthday_does_not_count_on_28_february_in_a_common_year():
    assert dates.age_on(date(2004, 2, 29), date(2025, 2, 28)) == 20


# --- Europe/London days -------------------------------------------------------------------


def test_late_evening_utc_in_summer_is_the_next_day_in_london():
    assert dates.local_date(utc(2026, 6, 30, 23, 30)) == date(2026, 7, 1)


def test_late_evening_utc_in_winter_is_the_same_day_in_london():
    assert dates.local_date(utc(2026, 12, 31, 23, 30)) == date(2026, 12, 31)


def test_local_date_switches_at_the_spring_clock_change():
    # Clocks go forward at 01:00 UTC on 29 March 2026.
    assert dates.local_date(utc(2026, 3, 28, 23, 30)) == date(2026, 3, 28)  # GMT
    assert dates.local_date(utc(2026, 3, 29, 23, 30)) == date(2026, 3, 30)  # BST


def test_local_date_switches_at_the_autumn_clock_change():
    # Clocks go back at 01:00 UTC on 25 October 2026.
    assert dates.local_date(utc(2026, 10, 24, 23, 30)) == date(2026, 10, 25)  # BST
    assert dates.local_date(utc(2026, 10, 25, 23, 30)) == date(2026, 10, 25)  # GMT


def test_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="Naive datetime"):
        dates.local_date(datetime(2026, 6, 30, 23, 30))  # noqa: DTZ001


def test_start_of_day_is_midnight_gmt_or_bst_either_side_of_the_spring_change():
    assert dates.start_of_local_day(date(2026, 3, 29)) == utc(2026, 3, 29, 0, 0)
    assert dates.start_of_local_day(date(2026, 3, 30)) == utc(2026, 3, 29, 23, 0)


def test_start_of_day_is_midnight_bst_or_gmt_either_side_of_the_autumn_change():
    assert dates.start_of_local_day(date(2026, 10, 25)) == utc(2026, 10, 24, 23, 0)
    assert dates.start_of_local_day(date(2026, 10, 26)) == utc(2026, 10, 26, 0, 0)


def test_clock_change_days_last_23_and_25_hours():
    def length(day):
        start = dates.start_of_local_day(day).astimezone(UTC)
        return dates.end_of_local_day(day).astimezone(UTC) - start

    assert length(date(2026, 3, 29)) == timedelta(hours=23)
    assert length(date(2026, 10, 25)) == timedelta(hours=25)
    assert length(date(2026, 7, 1)) == timedelta(hours=24)


@given(ANY_DAY)
def test_start_of_local_day_falls_on_that_local_date(day):
    assert dates.local_date(dates.start_of_local_day(day)) == day
    assert dates.local_date(dates.end_of_local_day(day) - timedelta(microseconds=1)) == day


def test_follow_up_is_24_calendar_months_after_the_outcome():
    assert dates.follow_up_date(date(2026, 2, 28)) == date(2028, 2, 28)
    assert dates.follow_up_date(date(2028, 2, 29)) == date(2030, 2, 28)
