from django.contrib.auth import get_user_model


def users_of_agencies(*, agency_ids):
    """Active users of the given agencies, for choosing a lead professional or lead worker."""
    return get_user_model().objects.filter(agency_id__in=agency_ids, is_active=True).select_related("agency")
