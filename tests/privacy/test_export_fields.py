"""The export says every field of the member's own rows, by name and value, and nothing of
anyone else's.

test_completeness.py checks that every row linked to an account is exported; this checks
each field. The world is the completeness test's (a row in every linked table), with the
other account's rows made an hour later, so that a row of theirs in the subject's export
differs from every row of the subject's, and with the subject's settings, one story and
one report given values that differ from the defaults.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.privacy import registry
from advocacy.stories.models import Story
from tests.support.privacy_world import (
    AT,
    ISSUED,
    JOINED,
    LATER,
    NOW,
    OTHER_TAG,
    RESOLVED,
    SUBJECT_TAG,
)


def exported(app, account_id: int) -> dict:
    with app.test_request_context():
        return registry.export_account(db.session.get(Account, account_id), now=NOW)


def story_ids(app, account_id: int) -> dict[str, int]:
    with app.app_context():
        rows = db.session.execute(
            select(Story.title, Story.id).where(Story.author_id == account_id)
        )
        return {title.removeprefix(f"{SUBJECT_TAG} "): story_id for title, story_id in rows}


def test_the_account_part_says_each_setting_and_only_dates_of_codes(app, subject):
    expires = (NOW + timedelta(hours=24)).isoformat()
    assert exported(app, subject)["account"] == {
        "pseudonym": "river-subject",
        "role": "admin",
        "created_at": JOINED.isoformat(),
        "last_login_on": "2026-11-20",
        "discreet_mode": True,
        "language": "es",
        "time_zone": "America/Chicago",
        "opens_stories_in_review": True,
        "second_factor": True,
        "mentor_eligible": True,
        "unused_recovery_codes": 10,  # issued ten, none used
        "unused_reset_codes": 1,  # the admin's code for them
        "refuses_staff_resets": True,
        # Codes made or approved for others: their dates, never for whom. The subject, an
        # admin, approved its own code at once; the one made at ISSUED waits for approval.
        "reset_codes_issued": [
            {"created_at": AT, "approved_at": AT, "expires_at": expires},
            {
                "created_at": ISSUED.isoformat(),
                "approved_at": None,
                "expires_at": (ISSUED + timedelta(hours=24)).isoformat(),
            },
        ],
        "reset_codes_approved": [{"created_at": AT, "approved_at": AT, "expires_at": expires}],
        "invites_created": [
            {
                "role": "member",
                "uses_left": 3,
                "expires_at": (NOW + timedelta(days=7)).isoformat(),
                "created_at": AT,
            }
        ],
    }


def test_a_member_who_never_signed_in_has_no_sign_in_date(app, subject):
    with app.app_context():
        db.session.get(Account, subject).last_login_on = None
        db.session.commit()
    assert exported(app, subject)["account"]["last_login_on"] is None


def test_the_stories_part_says_each_field_of_each_story_and_report(app, subject):
    ids = story_ids(app, subject)
    data = exported(app, subject)["stories"]
    published = {
        "id": ids["published"],
        "title": f"{SUBJECT_TAG} published",
        "text": f"{SUBJECT_TAG} published words.",
        "content_warnings": ["violence"],
        "content_warning_note": "A hard night.",
        "audience": "public",
        "anonymous_byline": True,
        "unpublish_on": "2027-01-31",
        "status": "published",
        "mentor_note": "A note.",
        "created_at": AT,
        "updated_at": AT,
        "submitted_at": AT,
        "published_at": AT,
        "published_title": f"{SUBJECT_TAG} published",
        "published_text": f"{SUBJECT_TAG} published words.",
    }
    # A published story with an unreviewed edit: the edit, and the published version.
    edited = published | {
        "id": ids["unreviewed title"],
        "title": f"{SUBJECT_TAG} unreviewed title",
        "text": f"{SUBJECT_TAG} unreviewed edit.",
        "content_warnings": [],
        "content_warning_note": "",
        "anonymous_byline": False,
        "unpublish_on": None,
        "status": "draft",
        "published_title": f"{SUBJECT_TAG} approved title",
        "published_text": f"{SUBJECT_TAG} approved.",
    }
    draft = edited | {
        "id": ids["draft"],
        "title": f"{SUBJECT_TAG} draft",
        "text": f"{SUBJECT_TAG} draft.",
        "mentor_note": "",
        "submitted_at": None,
        "published_at": None,
        "published_title": None,
        "published_text": None,
    }
    assert data["stories"] == [published, edited, draft]
    with app.app_context():
        reported = db.session.scalar(
            select(Story.id).where(Story.title == f"Bystander story {SUBJECT_TAG}")
        )
    assert data["reports"] == [
        {
            "story_id": reported,
            "category": "harassment",
            "note": f"{SUBJECT_TAG} report note",
            "created_at": AT,
            "resolved_at": RESOLVED.isoformat(),
            "outcome": "kept",
        }
    ]
    assert data["always_hidden_warnings"] == ["violence"]


def test_the_events_part_says_each_rsvp_and_the_events_scheduled_and_run(app, subject):
    assert exported(app, subject)["events"] == {
        # The shared circle meets two days after NOW at 18:00 in New York (23:00 UTC).
        "rsvps": [
            {
                "event": "Shared circle",
                "starts_at": "2026-11-29T23:00:00+00:00",
                "status": "confirmed",
                "attended": None,
                "created_at": AT,
            }
        ],
        "events_scheduled": [f"{SUBJECT_TAG} circle", f"{SUBJECT_TAG} program meeting"],
        "events_run": [f"{SUBJECT_TAG} circle"],
    }


def test_the_programs_parts_say_each_place_meeting_and_program(app, subject):
    data = exported(app, subject)
    assert data["programs"] == [
        {
            "program": "Shared program",
            "status": "confirmed",
            "requested_at": AT,
            "completed_on": "2026-11-27",
            "letters_issued_at": [AT],
            "sessions_done": [f"{SUBJECT_TAG} session"],
        }
    ]
    # Yesterday's catch-up meetings at 10:00 UTC: the subject's (came) and the one the
    # other account's world added (recorded, did not come).
    catch_up = {
        "program": "Shared program",
        "meeting": "Shared program catch-up",
        "starts_at": "2026-11-26T10:00:00+00:00",
    }
    assert data["program_attendance"] == [
        catch_up | {"came": True, "recorded_at": AT},
        catch_up | {"came": False, "recorded_at": LATER.isoformat()},
    ]
    # Made by make_program: a healing program, open, starting 21 days after NOW's date
    # and ending 80 days after it.
    assert data["programs_created"] == [
        {
            "title": f"{SUBJECT_TAG} program",
            "kind": "healing",
            "status": "open",
            "starts_on": "2026-12-18",
            "ends_on": "2027-02-15",
            "created_at": AT,
        }
    ]
    assert data["programs_run"] == [f"{SUBJECT_TAG} program"]


def test_a_place_not_completed_has_no_completion_date(app, subject):
    from advocacy.programs.models import Enrollment

    with app.app_context():
        for enrollment in db.session.scalars(
            select(Enrollment).where(Enrollment.account_id == subject)
        ):
            enrollment.completed_on = None
        db.session.commit()
    (place,) = exported(app, subject)["programs"]
    assert place["completed_on"] is None


def test_the_export_names_nothing_of_the_other_account(app, subject):
    text = str(exported(app, subject))
    assert OTHER_TAG not in text
    assert "heron-other" not in text
