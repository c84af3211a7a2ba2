"""The known faults of the MEF 141 OpenAPI files, as a schemathesis `filter_failure` hook.

Each fault names the operation and the check it affects and a predicate on the request and the
response that matches exactly the finding the spec's fault causes; a failure that no fault
matches fails the run. `docs/api-conformance.md` gives the reason each one is the spec's fault,
under the same names. `run.py` loads this file (the config's `hooks`) and prints how often each
fault was seen (written to `$ZK_API_KNOWN_FAULTS_OUT` at exit).
"""

from __future__ import annotations

import atexit
import json
import os
from collections import Counter
from pathlib import Path
from typing import Any, Callable, NamedTuple

import jsonschema_rs
import schemathesis
import yaml

API_DIR = Path(__file__).resolve().parents[2] / "mef141" / "api"


def _components(file: str) -> dict[str, Any]:
    with open(API_DIR / file, encoding="utf-8") as f:
        return yaml.safe_load(f)["components"]


def _validator(file: str, name: str) -> Any:
    """A validator of `#/components/schemas/NAME` of `file` (formats checked, as schemathesis
    checks the response schemas)."""
    schema = {"$ref": f"#/components/schemas/{name}", "components": _components(file)}
    return jsonschema_rs.Draft4Validator(schema, validate_formats=True)


BILL = _validator("billingManagement.api.yaml", "CustomerBill")
ITEM = _validator("billingManagement.api.yaml", "CustomerBillItem")


def _json(response: Any) -> Any:
    try:
        return json.loads(response.content)
    except ValueError:
        return None


def _error(response: Any, status: int, code: str, field: str) -> bool:
    """Whether `response` is the MEF error `status`/`code` naming `field` (our message starts
    with the field it refuses)."""
    body = _json(response)
    return (
        response.status_code == status
        and isinstance(body, dict)
        and body.get("code") == code
        and str(body.get("reason", "")).startswith(f"{field}:")
    )


def _negative(value: Any) -> bool:
    try:
        return int(value) < 0
    except (TypeError, ValueError):
        return False


def _body(case: Any) -> dict[str, Any]:
    return case.body if isinstance(case.body, dict) else {}


def _event(case: Any) -> dict[str, Any]:
    event = _body(case).get("event")
    return event if isinstance(event, dict) else {}


class KnownFault(NamedTuple):
    """A fault of the spec: the finding of `check` on one of `operations` that `applies`
    matches."""

    name: str
    operations: tuple[str, ...]
    check: str
    applies: Callable[[Any, Any], bool]


KNOWN_FAULTS = [
    # The 200 of GET /customerBill/{id} is declared as an array of CustomerBill; a bill is one
    # object. Dropped only when the body is one object that is a valid CustomerBill.
    KnownFault(
        "bill-declared-as-array",
        ("GET /customerBill/{id}",),
        "response_schema_conformance",
        lambda case, r: r.status_code == 200
        and isinstance(_json(r), dict)
        and BILL.is_valid(_json(r)),
    ),
    KnownFault(
        "bill-item-declared-as-array",
        ("GET /customerBillItem/{id}",),
        "response_schema_conformance",
        lambda case, r: r.status_code == 200
        and isinstance(_json(r), dict)
        and ITEM.is_valid(_json(r)),
    ),
    # offset and limit are plain integers: a negative offset or limit is schema-valid; it is
    # refused with 400 invalidQuery naming it.
    KnownFault(
        "negative-offset-or-limit",
        ("GET /customerBill",),
        "positive_data_acceptance",
        lambda case, r: any(
            _negative((case.query or {}).get(k)) and _error(r, 400, "invalidQuery", k)
            for k in ("offset", "limit")
        ),
    ),
    # callback is a plain string: "" or any text that is not an absolute http(s) URL is
    # schema-valid; it is refused with 400 invalidBody naming callback.
    KnownFault(
        "callback-any-string",
        ("POST /hub",),
        "positive_data_acceptance",
        lambda case, r: _error(r, 400, "invalidBody", "callback"),
    ),
    # query is a plain string: text that is not `eventType=<MEF 141 event types>` is
    # schema-valid; it is refused with 400 invalidBody naming query.
    KnownFault(
        "query-any-string",
        ("POST /hub",),
        "positive_data_acceptance",
        lambda case, r: _error(r, 400, "invalidBody", "query"),
    ),
    # event.id is a plain string: "" names no bill; both listeners refuse it with 400
    # invalidBody naming it.
    KnownFault(
        "event-id-empty",
        (
            "POST /listener/customerBillCreateEvent",
            "POST /listener/customerBillStateChangeEvent",
        ),
        "positive_data_acceptance",
        lambda case, r: _event(case).get("id") == "" and _error(r, 400, "invalidBody", "event.id"),
    ),
    # Both listeners take the same CustomerBillEvent, whose eventType allows either event: the
    # other listener's event type is refused with 400 invalidBody naming eventType.
    KnownFault(
        "event-type-of-the-other-listener",
        (
            "POST /listener/customerBillCreateEvent",
            "POST /listener/customerBillStateChangeEvent",
        ),
        "positive_data_acceptance",
        lambda case, r: _body(case).get("eventType") != case.operation.path.rsplit("/", 1)[-1]
        and _error(r, 400, "invalidBody", "eventType"),
    ),
]

SEEN: Counter[str] = Counter()


@schemathesis.hook
def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
    """Keeps every failure but those a known fault matches (and counts those)."""
    for fault in KNOWN_FAULTS:
        if (
            case.operation.label in fault.operations
            and fault.check in failure.checks
            and fault.applies(case, response)
        ):
            SEEN[fault.name] += 1
            return False
    return True


@atexit.register
def _write_seen() -> None:
    out = os.environ.get("ZK_API_KNOWN_FAULTS_OUT")
    if out:
        Path(out).write_text(json.dumps(dict(SEEN), sort_keys=True), encoding="utf-8")
