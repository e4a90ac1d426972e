"""The staff workspace: agency staff keep their entries of the index correct (``/staff/...``)."""

from navigator.staff import account, admin, bulk, dashboard, services  # noqa: F401 - these register the views
from navigator.staff.blueprint import bp

__all__ = ["bp"]
