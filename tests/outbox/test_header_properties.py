"""Whatever people type as their name, and whatever a subject says: one recipient, no new
headers. Property-based, over arbitrary text."""

import email
import email.policy

from hypothesis import given, settings
from hypothesis import strategies as st

from outbox.delivery import build_message
from outbox.models import OutgoingEmail
from outbox.services import clean_recipient, one_line

ANY_TEXT = st.text(max_size=80)


@settings(max_examples=200, deadline=None)
@given(name=ANY_TEXT, subject=ANY_TEXT)
def test_no_name_or_subject_adds_a_header_or_a_recipient(name, subject):
    recipient = clean_recipient(f"{name} <anna@example.org>")
    message = build_message(
        OutgoingEmail(
            recipient=recipient,
            from_email="Orga <orga@example.org>",
            subject=one_line(subject),
            body_text="Text",
            message_id="<1@example.org>",
            headers={"Auto-Submitted": "auto-generated"},
            language="de",
        )
    )

    assert message.recipients() == [recipient]
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
    assert [key.lower() for key in parsed] == [
        "content-type",
        "mime-version",
        "content-transfer-encoding",
        "subject",
        "from",
        "to",
        "date",
        "auto-submitted",
        "message-id",
        "content-language",
    ]
    assert [address.addr_spec for address in parsed["To"].addresses] == ["anna@example.org"]
