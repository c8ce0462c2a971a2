"""Password authentication that grants no permissions of its own.

Every permission comes from ``accounts/rules.py`` (django-rules). Django's ModelBackend
would also grant whatever sits in the group and user-permission tables; this backend
checks the password only, so a row slipped into those tables grants nothing.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class PasswordBackend(ModelBackend):
    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        return set()

    def has_perm(self, user_obj, perm, obj=None):
        return False

    def has_module_perms(self, user_obj, app_label):
        return False

    def with_perm(self, perm, is_active=True, include_superusers=True, obj=None):
        return get_user_model()._default_manager.none()
