"""The roles a user can hold, and their names on screen."""

import enum

from flask_babel import lazy_gettext as _l


class Role(enum.Enum):
    """What a user may do; officials act for one regency."""

    PEER = "peer"
    OFFICIAL = "official"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


ROLE_LABELS = {
    Role.PEER: _l("Peer"),
    Role.OFFICIAL: _l("Official"),
    Role.COORDINATOR: _l("Coordinator"),
    Role.ADMIN: _l("Administrator"),
}
