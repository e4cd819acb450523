from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """Signs users in by e-mail and password; grants no permissions of its own
    (Django's per-model permission tables are not used: marm's rules are)."""

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()
