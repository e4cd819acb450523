from django.db import models
from django.db.models import Exists, OuterRef

from marm.access.roles import Role, has_role


class ReviewQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Every review for a board officer; for anyone else, the reviews where they are their
        organisation's nominated contact. Reviews hold no person: what is refused is a 403, not a 404."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if has_role(user, Role.BOARD_OFFICER):
            return self.all()
        from marm.sar.models import ReviewOrganisation

        return self.filter(
            Exists(
                ReviewOrganisation.objects.filter(review=OuterRef("pk"), contact_id=user.pk, agency_id=user.agency_id)
            )
        )
