"""iCalendar (RFC 5545) out and in, through the `icalendar` library.

Import reads the whole file before anything is stored and refuses it as a whole, with the reason,
when any event is malformed, hostile or beyond the bounds below.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar as ICalendar
from icalendar import Event as IEvent

from .recurrence import parse_rule

PRODID = "-//Xietong//Agenda//ZH"
MAX_IMPORT_EVENTS = 2000
MAX_TITLE = 200
MAX_LOCATION = 200
MAX_DESCRIPTION = 10_000
MAX_UID = 255
EARLIEST_YEAR = 1970
LATEST_YEAR = 2100


def calendar_to_ics(name: str, events) -> bytes:
    out = ICalendar()
    out.add("prodid", PRODID)
    out.add("version", "2.0")
    out.add("x-wr-calname", name)
    stamp = timezone.now()
    for event in events:
        item = IEvent()
        item.add("uid", event.uid)
        item.add("dtstamp", stamp)
        item.add("summary", event.title)
        if event.location:
            item.add("location", event.location)
        if event.description:
            item.add("description", event.description)
        if event.all_day:
            start = timezone.localtime(event.starts_at).date()
            end = timezone.localtime(event.ends_at).date()
            item.add("dtstart", start)
            item.add("dtend", max(end, start + timedelta(days=1)))
        else:
            item.add("dtstart", event.starts_at)
            item.add("dtend", event.ends_at)
        if event.recurrence:
            item.add("rrule", _rrule_value(event.recurrence))
        out.add_component(item)
    return out.to_ical()


def _rrule_value(text: str) -> dict:
    parts = {}
    for part in text.removeprefix("RRULE:").split(";"):
        name, _sep, value = part.partition("=")
        parts[name.lower()] = value.split(",")
    return {name: values if len(values) > 1 else values[0] for name, values in parts.items()}


@dataclass(frozen=True)
class ImportedEvent:
    uid: str
    title: str
    location: str
    description: str
    starts_at: datetime
    ends_at: datetime
    all_day: bool
    recurrence: str


def _refused(message: str) -> ValidationError:
    return ValidationError(message, code="ics")


def _as_datetime(value, what: str) -> tuple[datetime, bool]:
    if isinstance(value, datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        moment, all_day = value, False
    elif isinstance(value, date):
        moment, all_day = timezone.make_aware(datetime.combine(value, time.min)), True
    else:
        raise _refused(_("An event's %(what)s is not a date or time.") % {"what": what})
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise _refused(
            _("An event's dates must lie between %(first)s and %(last)s.")
            % {"first": EARLIEST_YEAR, "last": LATEST_YEAR}
        )
    return moment, all_day


def _text(component, name: str, limit: int) -> str:
    value = str(component.get(name, "") or "").strip()
    if "\x00" in value:
        raise _refused(_("The file holds characters that are not text."))
    if len(value) > limit:
        raise _refused(
            _("An event's %(field)s is longer than %(limit)s characters.")
            % {"field": name.lower(), "limit": limit}
        )
    return value


def parse_ics(content: bytes) -> list[ImportedEvent]:
    """The events of an iCalendar file, or a ValidationError saying why it is refused."""
    try:
        parsed = ICalendar.from_ical(content)
    except Exception as error:  # the library raises ValueError, KeyError, IndexError and more
        raise _refused(_("The file is not a valid iCalendar (.ics) file.")) from error
    if not isinstance(parsed, ICalendar) or parsed.name != "VCALENDAR":
        raise _refused(_("The file is not a valid iCalendar (.ics) file."))
    components = parsed.walk("VEVENT")
    if not components:
        raise _refused(_("The file holds no events."))
    if len(components) > MAX_IMPORT_EVENTS:
        raise _refused(
            _("The file holds %(count)s events; at most %(limit)s may be imported at once.")
            % {"count": len(components), "limit": MAX_IMPORT_EVENTS}
        )
    events = []
    seen = set()
    for component in components:
        try:
            events.append(_event(component))
        except ValidationError:
            raise
        except Exception as error:
            raise _refused(_("An event in the file is malformed.")) from error
        if events[-1].uid in seen:
            raise _refused(_("Two events in the file share one UID."))
        seen.add(events[-1].uid)
    return events


def _event(component) -> ImportedEvent:
    title = _text(component, "SUMMARY", MAX_TITLE)
    if not title:
        raise _refused(_("An event in the file has no title (SUMMARY)."))
    uid = _text(component, "UID", MAX_UID)
    if not uid:
        raise _refused(_("An event in the file has no UID."))
    if "DTSTART" not in component:
        raise _refused(_("An event in the file has no start (DTSTART)."))
    starts_at, all_day = _as_datetime(component.decoded("DTSTART"), "start")
    if "DTEND" in component:
        ends_at, _end_all_day = _as_datetime(component.decoded("DTEND"), "end")
    elif "DURATION" in component:
        ends_at = starts_at + component.decoded("DURATION")
    else:
        ends_at = starts_at + (timedelta(days=1) if all_day else timedelta())
    if ends_at < starts_at:
        raise _refused(
            _("An event in the file ends before it starts: %(title)s") % {"title": title}
        )
    recurrence = ""
    rules = component.get("RRULE")
    if rules is not None:
        if isinstance(rules, list):
            raise _refused(_("An event in the file has more than one recurrence rule."))
        recurrence = rules.to_ical().decode()
        parse_rule(recurrence, starts_at)
    return ImportedEvent(
        uid=uid,
        title=title,
        location=_text(component, "LOCATION", MAX_LOCATION),
        description=_text(component, "DESCRIPTION", MAX_DESCRIPTION),
        starts_at=starts_at,
        ends_at=ends_at,
        all_day=all_day,
        recurrence=recurrence,
    )
