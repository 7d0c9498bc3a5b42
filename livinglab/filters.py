"""The base of every list's filters: optional strings read from the query string."""

from dataclasses import dataclass


@dataclass
class QueryFilters:
    """Optional string filters read from the query string; subclasses declare the fields."""

    @classmethod
    def from_args(cls, args):
        return cls(**{name: (args.get(name) or "").strip()[:60] for name in cls.__dataclass_fields__})

    @property
    def active(self) -> dict[str, str]:
        return {k: v for k, v in vars(self).items() if v}
