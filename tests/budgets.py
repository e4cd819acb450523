"""The most queries each busy page may cost, in one table.

Keyed by URL name; a page with a second budget, for another persona or with
more on it, adds that in brackets. The tests that hold each page to its
budget also check that its query count does not grow with the data.
"""

# Every page's budget includes one query for the second factor: django-otp reads the device that
# verified the session, so a removed device ends the verification at once (ADR 0022).
QUERY_BUDGETS = {
    # The person page: their details, other names, addresses, references, related people and
    # cases, and one query each for the high-risk register banner and the linked records.
    "people:detail": 24,  # +1: the other processes a screening routed the person to
    # The tolerant search's results (a POST), however many people match.
    "people:search": 22,  # +2: the per-user limit (ADR 0025)
    # Every "Your work" page also asks for the board's work for the user (registered panels): the
    # reviews they report on as a nominated contact, and the surveys they are asked to answer.
    # "Your work" for a practitioner: the cases they lead, the cases shared with their agency,
    # the meetings they are invited to and "Your actions", empty here.
    "dashboards:home": 15,
    # "Your work" for a manager: a practitioner's lists, the agency's open cases by stage (a
    # count and a list), the overdue actions on them, and the audit row for the names listed;
    # and the emergency accesses awaiting their agency's review (ADR 0026).
    "dashboards:home (manager)": 24,
    # "Your work" with the actions the practitioner owns listed under "Your actions".
    "dashboards:home (your actions)": 20,
    # "Your work" for a partner agency's practitioner: cases shared with it, in full and by
    # name only, the meetings it is invited to, and the audit row.
    "dashboards:home (partner agency)": 20,
    # "Your work" for a supervisor: a practitioner's lists, their teams' entries due a
    # supervision review and the alerts not acknowledged, and the audit row.
    "dashboards:home (supervisor)": 23,
    # "Your work" for a duty officer: a practitioner's lists and the agency's contact alerts.
    "dashboards:home (duty officer)": 21,
    # "Your work" for roles that see no adult: links only.
    "dashboards:home (administrator)": 11,
    "dashboards:home (board officer)": 10,
    # The case page: 27 (its review themes and the processes it was routed to among them), four for
    # the closure panel (the flag, the s42 referral, attempts without engagement, the last closure),
    # one for the advocacy referrals, and three for "what next" (meetings, risk, the plan: one each).
    "cases:detail": 36,
    # The case page with its risk block: agreed versions, capacity assessments, copies given.
    "cases:detail (risk)": 36,
    # A person's history of changes: the newest 200, the people and agencies named in them, the
    # corrections with the agencies told.
    "history:person": 16,
    # One person's merged chronology, whole or filtered by agency and type.
    "chronology:list": 21,
    # The engagement log: attempts to engage, the non-engagement flag, reflective reviews.
    "closure:engagement": 19,
    # The closure checks: care and support providers, agency checks and the closure guard.
    "closure:closure": 25,
    # The risk assessment: its versions, aspects and every agency's contributions.
    "risk:assessment": 26,
    # Mental capacity: the capacity assessments and refusals with capacity.
    "risk:capacity": 26,
    # The copies of the risk assessment given to the adult.
    "risk:copies": 26,
    # A meeting: its invitations, attendance and the actions agreed at it.
    "meetings:detail": 31,
    # The high-risk register: each entry with its named professional and processes.
    "register:list": 25,
    # The duty desk's search (a POST): the tolerant search reads three candidate indexes.
    "register:duty": 28,  # +1: the processes a screening routed the people found to; +2: the per-user limit
    # One measure: the filters' agencies and the financial years, and the measure's own queries
    # (one, or one per quarter for a snapshot); never one per record.
    "assurance:detail": 17,
    # Every measure for the year: each measure's queries, however many records count.
    "assurance:list": 41,
    # Survey results (surveys): the survey, its agencies and questions, totals by agency and by role
    # (two each), the agencies' names, the response rate, and the survey before the change (three).
    "surveys:results": 23,
    # The board's business plan (board): the plan, its priorities, objectives and actions with their
    # latest progress, and one computation for the measure shown live beside its actions (one more
    # for each other measure named).
    "board:plan": 16,
    # The board's home (board): its plans, with the overdue and unassured actions counted in one query.
    "board:home": 11,
    # A Safeguarding Adults Review's plan (sar): the review, its organisations with their single-agency
    # plans, themes, recommendations, actions and every organisation's progress, one query each.
    "sar:review": 16,
    # The same for a nominated contact: two more to check they are their organisation's contact.
    "sar:review (nominated contact)": 18,
    # The reviews list (sar), each review's progress entries counted by RAG in the same query.
    "sar:list": 10,
}
