"""Who may do what with a Safeguarding Adults Review's action plan.

The board officer sees and manages every review. An organisation's nominated
contact sees the reviews their organisation takes part in as its contact, and
keeps only their own organisation's progress entries. Nobody else sees a
review: they hold no person, so a refusal is a 403.
"""

import rules

from marm.access.roles import Role, has_role


@rules.predicate
def is_board_officer(user):
    return has_role(user, Role.BOARD_OFFICER)


@rules.predicate
def is_a_nominated_contact(user):
    """The organisation's nominated contact on at least one review, for the agency they work for now."""
    from marm.sar.models import ReviewOrganisation

    return ReviewOrganisation.objects.filter(contact_id=user.pk, agency_id=user.agency_id).exists()


@rules.predicate
def is_contact_on_review(user, review):
    from marm.sar.models import ReviewOrganisation

    if review is None:
        return False
    return ReviewOrganisation.objects.filter(review=review, contact_id=user.pk, agency_id=user.agency_id).exists()


@rules.predicate
def keeps_the_entry(user, progress):
    """The nominated contact of the organisation the progress entry belongs to, still working for it."""
    if progress is None:
        return False
    organisation = progress.review_organisation
    return organisation.contact_id == user.pk and organisation.agency_id == user.agency_id


# The reviews list: board officers, and nominated contacts (their organisation's reviews).
rules.add_perm("sar.use_reviews", is_board_officer | is_a_nominated_contact)
rules.add_perm("sar.view_review", is_board_officer | is_contact_on_review)
# Creating and editing reviews, organisations, themes, recommendations, actions and single-agency plans.
rules.add_perm("sar.manage_reviews", is_board_officer)
rules.add_perm("sar.update_progress", is_board_officer | keeps_the_entry)
rules.add_perm("sar.sign_off_action", is_board_officer)
