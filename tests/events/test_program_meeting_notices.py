"""Members of a program are told when one of its meetings is cancelled or moved.

A program meeting takes no RSVPs: a confirmed place in the program stands for one
(finding.may_see_venue). So everyone with a place in the program is told of a change or a
cancellation, like people with an RSVP to an open meeting; someone still waiting for a
place, or who withdrew, is not.
"""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from advocacy.events import scheduling
from advocacy.programs import services as programs
from tests.support.event_rules import NOW, notices_of, person
from tests.support.event_rules import session as session  # noqa: PLC0414 (the fixture)
from tests.support.program_rules import meeting, program

pytestmark = pytest.mark.usefixtures("session")


def members_and_waiting():
    staff, placed, waiting = person("maple", "staff"), person("ash"), person("birch")
    made = program(staff, capacity=1)
    programs.enroll(placed, made.id, now=NOW)
    programs.enroll(waiting, made.id, now=NOW)
    return staff, made, placed, waiting


def about_meetings(account) -> list:
    return [notice for notice in notices_of(account) if notice.kind.startswith("event_")]


def test_a_cancelled_program_meeting_is_told_to_those_with_a_place():
    staff, made, placed, waiting = members_and_waiting()
    occurrence = meeting(staff, made, in_days=3)
    scheduling.cancel_occurrence(occurrence.id, now=NOW, reason="The room flooded.")
    told = about_meetings(placed)
    assert [(notice.kind, notice.link) for notice in told] == [
        ("event_cancelled", f"/events/{occurrence.id}")
    ]
    assert told[0].params["reason"] == "The room flooded."
    assert about_meetings(waiting) == []


def test_the_rest_of_a_program_s_meetings_cancelled_is_one_notice():
    staff, made, placed, waiting = members_and_waiting()
    first, second = meeting(staff, made, in_days=3), meeting(staff, made, in_days=10)
    assert first.event_id != second.event_id  # each program meeting is its own event
    scheduling.cancel_series(first.event, now=NOW)
    assert [notice.kind for notice in about_meetings(placed)] == ["event_series_cancelled"]
    assert about_meetings(waiting) == []


def test_a_moved_program_meeting_is_told_once_to_those_with_a_place():
    staff, made, placed, waiting = members_and_waiting()
    occurrence = meeting(staff, made, in_days=3)
    day = (NOW + timedelta(days=4)).date()
    scheduling.change_occurrence(
        occurrence.id, day=day, starts=time(12), ends=time(13), capacity=None, now=NOW
    )
    assert [notice.kind for notice in about_meetings(placed)] == ["event_changed"]
    assert about_meetings(waiting) == []
