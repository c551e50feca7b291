"""Series as RFC 5545 recurrence rules, called directly (no database, no requests).

The expected dates are the RFC's own (RFC 5545 §3.8.5.3, "Examples"), each translated to
what our form can choose: the week starts on Monday (WKST=MO, the RFC's default), an end
date includes its whole day, and an end "until 19971224T000000Z" for a 09:00 New York
meeting is "until 23 December 1997". Where the RFC has no example (the last Monday, a
date some months lack), the dates are read off a printed calendar. A rule making more
than 104 meetings is refused, in the reader's language, and is never read further than
one meeting past 104.
"""

from datetime import date, datetime, time

import pytest

from advocacy.events.errors import ScheduleInvalid
from advocacy.events.recurrence import Repeat, days_of, plan, starts_of

NINE = time(9)
NO_MEETING = (
    "No meeting falls between the first day and the end date. Please choose a later end date."
)
MO, TU, WE, TH, FR, SA, SU = range(7)


def dates(*triples: tuple[int, int, int]) -> list[date]:
    return [date(*triple) for triple in triples]


def in_1997(month: int, *days: int) -> list[date]:
    return [date(1997, month, day) for day in days]


# (first day chosen, how it repeats, every meeting day the RFC lists)
RFC_EXAMPLES = {
    "weekly for 10 occurrences": (
        date(1997, 9, 2),
        Repeat("weekly", count=10),
        in_1997(9, 2, 9, 16, 23, 30) + in_1997(10, 7, 14, 21, 28) + in_1997(11, 4),
    ),
    "weekly until December 24, 1997": (
        date(1997, 9, 2),
        Repeat("weekly", until=date(1997, 12, 23)),
        in_1997(9, 2, 9, 16, 23, 30)
        + in_1997(10, 7, 14, 21, 28)
        + in_1997(11, 4, 11, 18, 25)
        + in_1997(12, 2, 9, 16, 23),
    ),
    "every other week on Tuesday and Thursday, for 8 occurrences": (
        date(1997, 9, 2),
        Repeat("weekly", interval=2, weekdays=(TU, TH), count=8),
        in_1997(9, 2, 4, 16, 18, 30) + in_1997(10, 2, 14, 16),
    ),
    "every other week on Monday, Wednesday, and Friday until December 24, 1997": (
        date(1997, 9, 1),
        Repeat("weekly", interval=2, weekdays=(MO, WE, FR), until=date(1997, 12, 23)),
        in_1997(9, 1, 3, 5, 15, 17, 19, 29)
        + in_1997(10, 1, 3, 13, 15, 17, 27, 29, 31)
        + in_1997(11, 10, 12, 14, 24, 26, 28)
        + in_1997(12, 8, 10, 12, 22),
    ),
    # The RFC's example of WKST: with the week starting on Monday (ours), "every other
    # week on Tuesday and Sunday, 4 times" from Tuesday 5 August 1997.
    "every other week on Tuesday and Sunday, week starting Monday": (
        date(1997, 8, 5),
        Repeat("weekly", interval=2, weekdays=(TU, SU), count=4),
        in_1997(8, 5, 10, 19, 24),
    ),
    "monthly on the first Friday for 10 occurrences": (
        date(1997, 9, 5),
        Repeat("monthly_weekday", ordinal=1, count=10),
        dates(
            (1997, 9, 5),
            (1997, 10, 3),
            (1997, 11, 7),
            (1997, 12, 5),
            (1998, 1, 2),
            (1998, 2, 6),
            (1998, 3, 6),
            (1998, 4, 3),
            (1998, 5, 1),
            (1998, 6, 5),
        ),
    ),
    "monthly on the first Friday until December 24, 1997": (
        date(1997, 9, 5),
        Repeat("monthly_weekday", ordinal=1, weekdays=(FR,), until=date(1997, 12, 23)),
        in_1997(9, 5) + in_1997(10, 3) + in_1997(11, 7) + in_1997(12, 5),
    ),
    "monthly on the last Monday (2027 calendar)": (
        date(2027, 1, 25),
        Repeat("monthly_weekday", ordinal=-1, until=date(2027, 6, 30)),
        dates(
            (2027, 1, 25), (2027, 2, 22), (2027, 3, 29), (2027, 4, 26), (2027, 5, 31), (2027, 6, 28)
        ),
    ),
    "monthly on the 31st skips the shorter months (2026 calendar)": (
        date(2026, 1, 31),
        Repeat("monthly_date", until=date(2026, 8, 31)),
        dates((2026, 1, 31), (2026, 3, 31), (2026, 5, 31), (2026, 7, 31), (2026, 8, 31)),
    ),
    "monthly on the 29th has February only in a leap year (2028)": (
        date(2027, 12, 29),
        Repeat("monthly_date", count=4),
        dates((2027, 12, 29), (2028, 1, 29), (2028, 2, 29), (2028, 3, 29)),
    ),
}


@pytest.mark.parametrize(
    ("first_day", "repeat", "expected"), RFC_EXAMPLES.values(), ids=RFC_EXAMPLES.keys()
)
def test_series_meet_on_the_days_rfc_5545_lists(first_day, repeat, expected):
    series = plan(first_day, NINE, repeat)
    assert series.days == expected
    assert days_of(series.text) == expected  # the stored rule gives the same days back


def test_the_stored_rule_is_rfc_5545_text_read_in_the_event_s_zone():
    series = plan(
        date(2027, 6, 1),
        time(18, 30),
        Repeat("weekly", interval=2, weekdays=(TU,), until=date(2027, 6, 29)),
    )
    assert series.text == (
        "DTSTART:20270601T183000\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20270629T235959"
    )
    assert series.days == dates((2027, 6, 1), (2027, 6, 15), (2027, 6, 29))
    monthly = plan(date(2027, 6, 7), NINE, Repeat("monthly_weekday", ordinal=-1, count=2))
    assert monthly.text == "DTSTART:20270628T090000\nRRULE:FREQ=MONTHLY;BYDAY=-1MO;COUNT=2"
    by_date = plan(date(2027, 6, 7), NINE, Repeat("monthly_date", count=2))
    assert by_date.text == "DTSTART:20270607T090000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=7;COUNT=2"


def test_a_one_off_meeting_has_no_rule():
    series = plan(date(2027, 6, 1), NINE, None)
    assert (series.text, series.days) == (None, [date(2027, 6, 1)])
    assert days_of(None) == []


def test_the_first_meeting_is_the_rule_s_first_day_on_or_after_the_chosen_day():
    # Chosen: Wednesday 2 June 2027; meetings on Mondays and Fridays. DTSTART moves to the
    # Friday (RFC 5545 §3.8.5.3: DTSTART is synchronized with the rule), so the Wednesday
    # is not a meeting and a count counts from the Friday.
    series = plan(date(2027, 6, 2), NINE, Repeat("weekly", weekdays=(MO, FR), count=3))
    assert series.days == dates((2027, 6, 4), (2027, 6, 7), (2027, 6, 11))
    assert series.text.startswith("DTSTART:20270604T090000\n")
    # "Third Thursday" chosen on 20 June 2027, after that month's (17 June): July's.
    third = plan(
        date(2027, 6, 20), NINE, Repeat("monthly_weekday", ordinal=3, weekdays=(TH,), count=1)
    )
    assert third.days == [date(2027, 7, 15)]


def test_without_weekdays_a_weekly_series_meets_on_the_first_day_s_weekday():
    series = plan(date(2027, 6, 3), NINE, Repeat("weekly", count=2))  # a Thursday
    assert series.days == dates((2027, 6, 3), (2027, 6, 10))
    assert "BYDAY=TH" in series.text


def test_a_series_of_exactly_104_meetings_is_whole():
    by_count = plan(date(2026, 12, 1), NINE, Repeat("weekly", count=104))
    assert len(by_count.days) == 104
    assert by_count.days[-1] == date(2028, 11, 21)  # 103 weeks after the first
    by_date = plan(date(2026, 12, 1), NINE, Repeat("weekly", until=date(2028, 11, 21)))
    assert by_date.days == by_count.days


def refusal(app, first_day: date, repeat: Repeat) -> tuple[str, str]:
    with pytest.raises(ScheduleInvalid) as refused:
        plan(first_day, NINE, repeat)
    with app.test_request_context():  # lazy text is translated inside a request
        return str(refused.value), refused.value.field


@pytest.mark.parametrize(
    ("repeat", "field"),
    [
        (Repeat("weekly", until=date(2028, 11, 28)), "until"),  # the 105th Tuesday
        (Repeat("weekly", count=105), "count"),
        (Repeat("monthly_date", until=date(2040, 12, 1)), "until"),
        (Repeat("weekly", interval=4, weekdays=(MO, TU, WE), until=date(2030, 1, 1)), "until"),
    ],
)
def test_more_than_104_meetings_is_refused_not_cut_short(app, repeat, field):
    message, on = refusal(app, date(2026, 12, 1), repeat)
    assert message == (
        "That makes more than 104 meetings. Please choose an earlier end date or fewer meetings."
    )
    assert on == field


def test_too_many_is_said_in_the_reader_s_language(app):
    with pytest.raises(ScheduleInvalid) as refused:
        plan(date(2026, 12, 1), NINE, Repeat("weekly", count=105))
    with app.test_request_context(headers={"Accept-Language": "es"}):
        assert str(refused.value) == (
            "Eso da más de 104 reuniones. Elige una fecha de fin más temprana o menos reuniones."
        )


def test_a_rule_is_read_no_further_than_one_meeting_past_the_most():
    # One more than 104 tells a rule that makes too many; reading on would only cost time
    # (a rule every day until 9999 makes millions).
    text = "DTSTART:20261201T090000\nRRULE:FREQ=WEEKLY;COUNT=300"
    starts = starts_of(text)
    assert len(starts) == 105
    assert (starts[0], starts[-1]) == (datetime(2026, 12, 1, 9), datetime(2028, 11, 28, 9))
    every_day = Repeat("weekly", weekdays=tuple(range(7)), until=date(9999, 12, 31))
    with pytest.raises(ScheduleInvalid):
        plan(date(2026, 12, 1), NINE, every_day)


@pytest.mark.parametrize(
    ("repeat", "field", "message"),
    [
        (
            Repeat("weekly"),
            "until",
            "Choose when the repeating meetings end: a date or a number of meetings.",
        ),
        (
            Repeat("weekly", until=date(2027, 1, 1), count=3),
            "count",
            "Choose either an end date or a number of meetings, not both.",
        ),
        (
            Repeat("weekly", until=date(2026, 11, 30)),
            "until",
            NO_MEETING,
        ),
        # No Saturday from Tuesday 1 to Friday 4 December 2026.
        (
            Repeat("weekly", weekdays=(SA,), until=date(2026, 12, 4)),
            "until",
            NO_MEETING,
        ),
        (Repeat("weekly", count=0), "count", "Choose from 1 to 104 meetings."),
        (Repeat("weekly", interval=5, count=2), "interval", "Choose every 1 to 4 weeks."),
        (Repeat("weekly", interval=0, count=2), "interval", "Choose every 1 to 4 weeks."),
        (
            Repeat("weekly", weekdays=(7,), count=2),
            "weekdays",
            "Choose days from Monday to Sunday.",
        ),
        (
            Repeat("monthly_weekday", ordinal=5, count=2),
            "ordinal",
            "Choose the first, second, third, fourth or last week.",
        ),
        (Repeat("yearly", count=2), "recurrence", "Choose how the meetings repeat from the list."),
    ],
)
def test_impossible_rules_are_refused_calmly_by_their_field(app, repeat, field, message):
    assert refusal(app, date(2026, 12, 1), repeat) == (message, field)
