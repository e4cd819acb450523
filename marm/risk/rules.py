import rules

from marm.access.rules import does_casework, is_manager
from marm.cases.lifecycle import IN_MARM
from marm.cases.rules import add_case_perm, case_status_in


@rules.predicate
def leads_case(user, case):
    from marm.cases.models import LeadProfessional

    return case is not None and LeadProfessional.objects.filter(case=case, user=user, ended_at__isnull=True).exists()


@rules.predicate
def manages_in_lead_agency(user, case):
    return case is not None and user.agency_id == case.lead_agency_id and is_manager(user)


# 000 4.4, 5.6: every involved agency contributes to the draft (scope comes from visible_to).
rules.add_perm("risk.contribute", does_casework)
# 000 6.1: the assessment is made at the planning meeting and updated at reviews, so a case
# needs to be in MARM (accepted or later, and not closed or routed) for a version to start.
ASSESSABLE = IN_MARM
add_case_perm("risk.start_assessment", who=does_casework, stage=case_status_in(ASSESSABLE))
# 000 6.1 stages 2-3: a version is agreed at a meeting (chaired by a manager of the
# initiating agency) or by the lead professional, who keeps the plan current.
rules.add_perm("risk.agree", does_casework & (leads_case | manages_in_lead_agency))
# 000 5.3: capacity is assessed by whoever is best placed, in any involved agency.
rules.add_perm("risk.assess_capacity", does_casework)
rules.add_perm("risk.decide_best_interests", does_casework)
rules.add_perm("risk.record_refusal", does_casework)
# 000 5.1: anyone doing casework on the case may ask for an advocate and keep the referral up to date.
rules.add_perm("risk.refer_for_advocacy", does_casework)
# 000 6.1: "ensure the adult is given a copy of the risk assessment".
rules.add_perm("risk.give_copy", does_casework)
