"""The blocks accounts add to other features' pages (registered in `create_app`, see `livinglab/panels.py`)."""

from collections.abc import Mapping

from livinglab.accounts.models import User
from livinglab.accounts.queries import officials_of
from livinglab.regencies.models import Regency


def regency_officials(regency: Regency, user: User) -> Mapping[str, list[User]]:
    """The regency page: its officials on Livinglab (names only)."""
    return {"officials": officials_of(regency.code)}
