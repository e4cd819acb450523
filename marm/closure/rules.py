import rules

from marm.access.rules import does_casework
from marm.cases.lifecycle import ALLOWED_MOVES, IN_MARM, OPEN_STATUSES, CaseStatus, moves_into
from marm.cases.rules import add_case_perm, case_status_in, manages_case

# 002: attempts, the flag and reflections are about a case that is still live: reopen it first.
LIVE = OPEN_STATUSES
# 000 5.4: a case in MARM work is escalated when the process has not mitigated a risk of serious harm.
ESCALATABLE = moves_into(CaseStatus.ESCALATED)
# A referral waits on a case that was escalated, and the case cannot be closed while it waits: the
# case is escalated still, or has gone back to planning or review alongside the enquiry.
REFERRAL_WAITING = frozenset({CaseStatus.ESCALATED}) | (ALLOWED_MOVES[CaseStatus.ESCALATED] - {CaseStatus.CLOSED})
# 000 5.4: after an enquiry, MARM work resumes on the escalated case at the stage it was at.
RESUMABLE = frozenset({CaseStatus.ESCALATED})
# 000 6.2: a case in MARM is closed by sign-off; before acceptance, screening closes it (no further action).
CLOSABLE = moves_into(CaseStatus.CLOSED) & IN_MARM

# 002: every agency taking part logs its own attempts, raises the flag, reflects and checks.
add_case_perm("closure.log_engagement", who=does_casework, stage=case_status_in(LIVE))
add_case_perm("closure.flag_non_engagement", who=does_casework, stage=case_status_in(LIVE))
add_case_perm("closure.reflect", who=does_casework, stage=case_status_in(LIVE))
# The adult or family is engaging again: a flag is lifted at any stage.
rules.add_perm("closure.lift_flag", does_casework)
rules.add_perm("closure.check_agency", does_casework)
# 000 2.1, 6.1: the responsible manager of the lead agency signs off escalation and closure.
# ``closure.escalate`` is who takes the section 42 steps; each step is open at its own stages.
rules.add_perm("closure.escalate", manages_case)
add_case_perm("closure.refer_s42", who=manages_case, stage=case_status_in(ESCALATABLE))
add_case_perm("closure.record_s42_outcome", who=manages_case, stage=case_status_in(REFERRAL_WAITING))
add_case_perm("closure.resume_marm_work", who=manages_case, stage=case_status_in(RESUMABLE))
add_case_perm("closure.close_case", who=manages_case, stage=case_status_in(CLOSABLE))
