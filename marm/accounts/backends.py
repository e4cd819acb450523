from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """Signs users in by e-mail and password; grants no permissions of its own
    (Django's per-model permission tables are not used: marm's rules are)."""

    def get_user(self, user_id):
        """The signed-in user of each request, with their agency (every page names it) in the same query."""
        user = self._default_manager().select_related("agency").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    @staticmethod
    def _default_manager():
        from django.contrib.auth import get_user_model

        return get_user_model()._default_manager

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()
