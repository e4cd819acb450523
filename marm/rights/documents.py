"""The response to a subject access request: a PDF for the person and a JSON file (ADR 0031).

Both are made from the same ``Response``: every gathered item the officer disclosed, each redacted
value replaced by ``[Redacted]`` with the reason, and withheld items left out but counted, so the
person is told that something was withheld. The officer's redaction decisions never leave marm.
"""

import json
import logging
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone

from marm.rights.models import REDACTED_TEXT, Decision, DisclosureItem, SubjectAccessRequest


@dataclass
class ResponseField:
    label: str
    value: str
    redacted: bool = False


@dataclass
class ResponseRecord:
    kind: str
    label: str
    fields: list[ResponseField] = field(default_factory=list)


@dataclass
class Response:
    subject_access: SubjectAccessRequest
    records: list[ResponseRecord]
    counts: dict[str, int]
    generated_at: object


def response_for(subject_access: SubjectAccessRequest) -> Response:
    """What the person is given. The caller has read the request through the guarded path."""
    records: list[ResponseRecord] = []
    counts = {"disclosed": 0, "redacted": 0, "withheld": 0}
    for item in DisclosureItem.objects.filter(request=subject_access).order_by("position"):
        if item.decision == Decision.WITHHOLD:
            counts["withheld"] += 1
            continue
        key = (item.kind, item.record_label)
        if not records or (records[-1].kind, records[-1].label) != key:
            records.append(ResponseRecord(item.kind, item.record_label))
        if item.decision == Decision.REDACT:
            counts["redacted"] += 1
            records[-1].fields.append(ResponseField(item.field_label, REDACTED_TEXT, redacted=True))
        else:
            counts["disclosed"] += 1
            records[-1].fields.append(ResponseField(item.field_label, item.value))
    return Response(subject_access, records, counts, timezone.localtime())


def response_json(response: Response) -> bytes:
    sar = response.subject_access
    document = {
        "subject_access_request": sar.reference,
        "person": sar.person.full_name,
        "received_on": sar.received_on.isoformat(),
        "generated_at": response.generated_at.isoformat(timespec="seconds"),
        "records": [
            {"kind": record.kind, "record": record.label, "fields": {f.label: f.value for f in record.fields}}
            for record in response.records
        ],
        "items_redacted": response.counts["redacted"],
        "items_withheld": response.counts["withheld"],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


def response_pdf(response: Response) -> bytes:
    from weasyprint import HTML  # loaded when a PDF is made, not with every page

    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    html = render_to_string("rights/response_pdf.html", {"response": response, "sar": response.subject_access})
    # PDF/UA-1: tagged, with its language and title, so a screen reader can follow it.
    return HTML(string=html, base_url=None).write_pdf(pdf_variant="pdf/ua-1")
