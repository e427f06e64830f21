#!/usr/bin/env python3
"""Checks two generations of the same pacta calendar with an independent RFC 5545 reader.

Usage: check_ics.py FIRST.ics SECOND.ics

Needs the PyPI package `icalendar`. Checks, for each file: every raw line is at most 75
octets before its CRLF and ends in CRLF; icalendar parses it; every VEVENT has UID, DTSTAMP
and DTSTART; UIDs are unique. Then: both files have the same UIDs, because calendar clients
update events in place by UID and would otherwise duplicate or lose them: every UID of the
first file is in the second (an obligation a new contract version no longer derives stays,
with STATUS:CANCELLED), and no event's SEQUENCE goes down. Exits 1 naming
the file (and line) of the first problem; prints "ok: N events, UIDs stable" otherwise.
"""

import sys

try:
    import icalendar
except ImportError:
    sys.exit("check_ics: the PyPI package `icalendar` is missing (pip install icalendar)")

MAX_OCTETS = 75


def fail(message):
    sys.exit(f"check_ics: {message}")


def check_raw(path, data):
    if not data:
        fail(f"{path}: empty file")
    if not data.endswith(b"\r\n"):
        fail(f"{path}: the last line does not end in CRLF")
    lines = data[:-2].split(b"\r\n")
    for number, line in enumerate(lines, start=1):
        if b"\n" in line or b"\r" in line:
            fail(f"{path}:{number}: bare CR or LF (lines must end in CRLF)")
        if len(line) > MAX_OCTETS:
            fail(f"{path}:{number}: {len(line)} octets, more than {MAX_OCTETS} before CRLF")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as e:
            fail(f"{path}:{number}: not UTF-8 ({e}); a fold split a character?")


def uids(path):
    with open(path, "rb") as f:
        data = f.read()
    check_raw(path, data)
    try:
        cal = icalendar.Calendar.from_ical(data)
    except Exception as e:  # icalendar raises ValueError and others
        fail(f"{path}: icalendar cannot parse it: {e}")
    seen = {}
    for number, event in enumerate(cal.walk("VEVENT"), start=1):
        for prop in ("UID", "DTSTAMP", "DTSTART"):
            if event.get(prop) is None:
                fail(f"{path}: VEVENT #{number} has no {prop}")
        uid = str(event.get("UID"))
        if uid in seen:
            fail(f"{path}: VEVENT #{number} repeats UID {uid!r}")
        sequence = int(event.get("SEQUENCE", 0))
        status = str(event.get("STATUS", "CONFIRMED"))
        seen[uid] = (sequence, status)
    return seen


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: check_ics.py FIRST.ics SECOND.ics")
    first, second = argv[1], argv[2]
    a, b = uids(first), uids(second)
    lost = sorted(set(a) - set(b))
    if lost:
        fail(f"UIDs of {first} missing from {second} (clients would lose them): {lost}")
    for uid, (sequence, _) in a.items():
        if b[uid][0] < sequence:
            fail(f"{uid}: SEQUENCE went down from {sequence} to {b[uid][0]}")
    cancelled = sum(1 for _, status in b.values() if status == "CANCELLED")
    new_uids = len(set(b) - set(a))
    print(f"ok: {len(b)} events ({new_uids} new, {cancelled} cancelled), UIDs stable")

if __name__ == "__main__":
    main(sys.argv)
