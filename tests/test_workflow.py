"""Who may do what (DESIGN.md §4): every allowed and every refused step, for each role and holder."""
from datetime import timedelta

import pytest

from lifecycle import BEFORE_DUE, LAND_OFFICE, build, people
from onestop import calendars, workflow
from onestop.errors import WorkflowError
from onestop.extensions import db
from onestop.models import DossierStatus

ACTORS = ("clerk", "officer", "officer2", "leader", "partner", "admin")
ACTIONS = ("hand_over", "request_supplement", "resume", "send_to_partner", "partner_returned", "submit_for_approval",
           "approve", "mark_ready", "return_result", "apologize", "refuse", "withdraw", "stop")
NOBODY = {actor: set() for actor in ACTORS}

# Written by hand from DESIGN.md §4, not from the code. `officer` is the holder once the clerk handed it over,
# `officer2` a colleague who is not; `partner` works at the land registration office; the police is external.
# `stop` (Decree 118/2025 art. 21) is a leader's, at any open step, like `refuse`.
ALLOWED = {
    "received": {**NOBODY, "clerk": {"hand_over", "withdraw"}, "officer": {"hand_over"}, "officer2": {"hand_over"},
                 "leader": {"hand_over", "apologize", "refuse", "stop"}},
    "processing": {**NOBODY, "clerk": {"hand_over", "withdraw"},
                   "officer": {"hand_over", "request_supplement", "send_to_partner", "submit_for_approval"},
                   "officer2": {"hand_over"}, "leader": {"hand_over", "apologize", "refuse", "stop"}},
    "approved": {**NOBODY, "clerk": {"hand_over", "mark_ready", "withdraw"},
                 "officer": {"hand_over", "request_supplement", "send_to_partner", "mark_ready"},
                 "officer2": {"hand_over"}, "leader": {"hand_over", "apologize", "refuse", "stop"}},
    "no_approval_needed": {**NOBODY, "clerk": {"hand_over", "mark_ready", "withdraw"},
                           "officer": {"hand_over", "request_supplement", "send_to_partner", "mark_ready"},
                           "officer2": {"hand_over"}, "leader": {"hand_over", "apologize", "refuse", "stop"}},
    "supplemented": {**NOBODY, "clerk": {"hand_over", "withdraw"},
                     "officer": {"hand_over", "send_to_partner", "submit_for_approval"},  # asked once already
                     "officer2": {"hand_over"}, "leader": {"hand_over", "apologize", "refuse", "stop"}},
    "apologized": {**NOBODY, "clerk": {"hand_over", "withdraw"},
                   "officer": {"hand_over", "request_supplement", "send_to_partner", "submit_for_approval"},
                   "officer2": {"hand_over"}, "leader": {"hand_over", "refuse", "stop"}},  # apologised once already
    "awaiting_supplement": {**NOBODY, "clerk": {"resume", "withdraw"}, "officer": {"resume"},
                            "leader": {"apologize", "refuse", "stop"}},
    "at_partner": {**NOBODY, "clerk": {"withdraw"}, "leader": {"apologize", "refuse", "stop"}, "partner": {"partner_returned"}},
    "at_external": {**NOBODY, "clerk": {"partner_returned", "withdraw"}, "officer": {"partner_returned"},
                    "leader": {"apologize", "refuse", "stop"}},
    "awaiting_approval": {**NOBODY, "clerk": {"withdraw"}, "leader": {"approve", "apologize", "refuse", "stop"}},
    "result_ready": {**NOBODY, "clerk": {"return_result"}},
    "returned": NOBODY, "refused": NOBODY, "withdrawn": NOBODY, "stopped": NOBODY,
}
TO_STATUS = {
    "hand_over": DossierStatus.PROCESSING, "request_supplement": DossierStatus.AWAITING_SUPPLEMENT,
    "resume": DossierStatus.PROCESSING, "send_to_partner": DossierStatus.AT_PARTNER,
    "partner_returned": DossierStatus.PROCESSING, "submit_for_approval": DossierStatus.AWAITING_APPROVAL,
    "approve": DossierStatus.PROCESSING, "mark_ready": DossierStatus.RESULT_READY,
    "return_result": DossierStatus.RETURNED, "refuse": DossierStatus.REFUSED, "withdraw": DossierStatus.WITHDRAWN,
    "stop": DossierStatus.STOPPED,
}



def _params(action, dossier, actor, users):
    if action == "hand_over":
        if dossier.holder_user is not None and dossier.holder_user.id == actor.id:
            return {"to_user": users["officer2" if actor.username != "officer2" else "officer"]}
        return {"to_user": actor}  # taking it: "Nhận hồ sơ từ …"
    return {
        "request_supplement": {"reason": "Thiếu giấy tờ", "items": ["Bản sao giấy khai sinh"]},
        "send_to_partner": {"agency_code": LAND_OFFICE, "share": 2, "confirm_late": True},
        "return_result": {"recipient": "Phạm Văn Dũng"},
        "apologize": {"reason": "Chờ xác minh", "new_promised_at": dossier.promised_at + timedelta(days=4)},
        "refuse": {"reason": "Không đủ điều kiện"}, "withdraw": {"reason": "Công dân xin rút"},
        "stop": {"reason": "Có yêu cầu dừng của cơ quan có thẩm quyền"},
    }.get(action, {})


def _snapshot(dossier):
    return (dossier.status, dossier.holder_user_id, dossier.holder_agency_id, dossier.promised_at, dossier.due_at,
            len(dossier.events), len(dossier.pauses), len(dossier.legs), dossier.completed_at)


@pytest.mark.parametrize("state", list(ALLOWED))
def test_each_role_and_holder_gets_exactly_the_steps_of_the_table(session, demo, state):
    users = people()
    dossier = build("processing" if state == "no_approval_needed" else state)
    if state == "no_approval_needed":  # catalogue column `Phê duyệt` = không
        dossier.procedure.approval_required = False
    wrong = []
    for actor_name in ACTORS:
        offered = set(workflow.available_actions(dossier, users[actor_name], BEFORE_DUE))
        if offered != ALLOWED[state][actor_name]:
            wrong.append(f"{actor_name} is offered {sorted(offered)}")
        wrong += [f"{actor_name} {action}: {problem}" for action in ACTIONS
                  if (problem := _try(session, dossier, action, users[actor_name], users,
                                      action in ALLOWED[state][actor_name]))]
    assert wrong == []


def _try(session, dossier, action, actor, users, allowed) -> str:
    """Run the step inside a savepoint; what went against the table, or ''."""
    savepoint = session.begin_nested()
    before = _snapshot(dossier)
    try:
        event = workflow.perform(action, dossier, actor, now=BEFORE_DUE, calendar=calendars.current(),
                                 **_params(action, dossier, actor, users))
    except WorkflowError as error:
        problem = "refused: " + str(error) if allowed else ""
        if not allowed and (not str(error) or _snapshot(dossier) != before):
            problem = "refused without a reason, or changed something"  # a refused step changes nothing
    else:
        problem = "" if allowed else "was allowed"
        if allowed and (event.action != action or len(dossier.events) != before[5] + 1
                        or dossier.status != TO_STATUS.get(action, before[0])):
            problem = f"ended in {dossier.status} with {len(dossier.events) - before[5]} events"
    savepoint.rollback()
    db.session.expire_all()
    return problem


def test_hand_over_moves_the_holder_and_writes_a_form_05_row(session, demo):
    users = people()
    dossier = build("received")
    event = workflow.hand_over(dossier, users["clerk"], to_user=users["officer"], now=BEFORE_DUE)
    assert dossier.holder_user == users["officer"] and dossier.status == DossierStatus.PROCESSING
    assert (event.from_user, event.to_user, event.from_status, event.to_status) == (
        users["clerk"], users["officer"], "received", "processing")
    assert event.step_due_at == dossier.due_at and event.timeliness.value == "early"


def test_a_colleague_can_only_take_the_dossier_for_themself(session, demo):
    users = people()
    dossier = build("processing")
    with pytest.raises(WorkflowError, match="chỉ có thể nhận hồ sơ về mình"):
        workflow.hand_over(dossier, users["officer2"], to_user=users["leader"], now=BEFORE_DUE)
    workflow.hand_over(dossier, users["officer2"], to_user=users["officer2"], now=BEFORE_DUE)
    assert dossier.holder_user == users["officer2"]
    assert dossier.events[-1].from_user == users["officer"]


def test_a_dossier_cannot_be_handed_to_someone_of_another_agency(session, demo):
    users = people()
    dossier = build("processing")
    with pytest.raises(WorkflowError, match="không phải cán bộ"):
        workflow.hand_over(dossier, users["officer"], to_user=users["partner"], now=BEFORE_DUE)
    assert dossier.holder_user == users["officer"]


def test_approval_returns_the_dossier_to_whoever_submitted_it(session, demo):
    users = people()
    dossier = build("awaiting_approval")
    assert dossier.holder_user is None  # the agency's leaders hold it
    workflow.approve(dossier, users["leader"], now=BEFORE_DUE)
    assert dossier.holder_user == users["officer"] and workflow.is_approved(dossier)


def test_mark_ready_fixes_completion_and_timeliness_and_sends_it_to_the_desk(session, demo):
    users = people()
    dossier = build("approved")
    workflow.mark_ready(dossier, users["clerk"], now=BEFORE_DUE)
    assert dossier.completed_at == BEFORE_DUE and dossier.completed_on.isoformat() == "2026-03-03"
    assert dossier.timeliness.value == "early"  # due Thu 05/03, done Tue 03/03
    assert dossier.holder_user is None and dossier.status == DossierStatus.RESULT_READY
    assert dossier.events[-1].from_user == users["officer"]  # the clerk recorded it; the officer gave it


@pytest.mark.parametrize(("done", "timeliness"), [
    ("2026-03-05T07:30:00+07:00", "on_time"),  # the due date itself, even before the due hour
    ("2026-03-05T16:59:00+07:00", "on_time"),  # later than 08:00 but the same date: still on time
    ("2026-03-06T08:00:00+07:00", "late"),
])
def test_timeliness_compares_local_dates(session, demo, done, timeliness):
    from datetime import datetime
    users = people()
    dossier = build("approved")
    workflow.mark_ready(dossier, users["officer"], now=datetime.fromisoformat(done))
    assert dossier.timeliness.value == timeliness


def test_refusal_while_paused_ends_the_pause_and_stores_timeliness(session, demo):
    users = people()
    dossier = build("awaiting_supplement")
    workflow.refuse(dossier, users["leader"], reason="Hồ sơ giả mạo", now=BEFORE_DUE, calendar=calendars.current())
    assert dossier.pauses[0].ended_at == BEFORE_DUE
    assert dossier.status == DossierStatus.REFUSED and dossier.timeliness is not None
    assert dossier.events[-1].data["reason"] == "Hồ sơ giả mạo"


def test_withdrawal_at_a_partner_closes_the_open_leg(session, demo):
    users = people()
    dossier = build("at_partner")
    workflow.withdraw(dossier, users["clerk"], reason="Công dân xin rút", now=BEFORE_DUE, calendar=calendars.current())
    assert dossier.legs[0].returned_at == BEFORE_DUE and dossier.status == DossierStatus.WITHDRAWN


@pytest.mark.parametrize("action", ["refuse", "withdraw"])
def test_refusal_and_withdrawal_need_a_reason(session, demo, action):
    users = people()
    dossier = build("processing")
    actor = users["leader" if action == "refuse" else "clerk"]
    with pytest.raises(WorkflowError, match="Cần ghi lý do"):
        workflow.perform(action, dossier, actor, now=BEFORE_DUE, calendar=calendars.current(), reason="  ")
    assert dossier.status == DossierStatus.PROCESSING and dossier.completed_at is None


def test_an_unknown_step_is_refused(session, demo):
    users = people()
    dossier = build("processing")
    with pytest.raises(WorkflowError, match="Thao tác không hợp lệ"):
        workflow.perform("delete", dossier, users["leader"], now=BEFORE_DUE, calendar=calendars.current())
