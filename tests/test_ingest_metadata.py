"""Metadata: title, council, version and dates, as the document states them."""
from __future__ import annotations

from analyser.ingest.metadata import extract_metadata, read_labels
from analyser.model import Block


def _blocks(*lines: str) -> list[Block]:
    return [Block(text=line, kind="row" if " | " in line else "paragraph") for line in lines]


def test_metadata_reads_several_labels_on_one_line():
    assert read_labels("Adopted: May 2023 Reviewed: May 2025") == {"adopted": "May 2023", "reviewed": "May 2025"}
    assert read_labels("Next review date: 1st March 2027") == {"next_review": "1st March 2027"}
    assert read_labels("Members adopted the code in 2012.") == {}


def test_metadata_control_table_gives_dates_not_labels():
    blocks = _blocks("Foobridge Parish Council", "Member/Officer Working Protocol", "Control Document V2.3",
                     "Next Review date | March 2026", "Approved & Ratified by: | Full Council – 27 April 2024",
                     "Author | Parish Clerk", "FOOBRIDGE PARISH COUNCIL", "1. INTRODUCTION",
                     "1.1 Councillors and officers work together.")
    kept, metadata = extract_metadata(blocks, "fallback")
    assert metadata.adopted == "27 April 2024"
    assert metadata.next_review == "March 2026"
    assert metadata.version == "V2.3"
    assert metadata.council == "Foobridge Parish Council"
    assert metadata.title == "Member/Officer Working Protocol"
    assert all(b.kind != "row" for b in kept)


def test_metadata_title_stops_before_the_first_section_heading():
    blocks = _blocks("APPENDIX 2", "Protocol on Member/Officer Relations", "Introduction",
                     "Mutual trust and respect between members and officers is at the heart of good governance.")
    _, metadata = extract_metadata(blocks, "fallback")
    assert metadata.title == "Protocol on Member/Officer Relations"


def test_metadata_council_needs_a_name():
    _, unnamed = extract_metadata(_blocks("MEMBER/OFFICER PROTOCOL", "Adopted: May 2023",
                                          "1. The Council and the Town Council's Full Council meet monthly."), "x")
    assert unnamed.council == "" and unnamed.adopted == "May 2023"
    _, named = extract_metadata(_blocks("Protocol", "1. Anytown Borough Council and its officers."), "x")
    assert named.council == "Anytown Borough Council"


def test_metadata_falls_back_to_the_file_name():
    _, metadata = extract_metadata(_blocks("1. Members must be courteous."), "anytown-protocol")
    assert metadata.title == "anytown-protocol"
