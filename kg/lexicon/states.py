"""States by their UN names, to ISO 3166-1 alpha-3.

pycountry supplies the ISO list; ``data/registry/un_state_names.csv`` adds
the names the UN prints that ISO spells otherwise ("Venezuela (Bolivarian
Republic of)", "Türkiye", "Netherlands (Kingdom of the)").
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib import resources

import pycountry


def _fold(name: str) -> str:
    name = name.replace("’", "'").lower()
    return re.sub(r"\s+", " ", name).strip()


@lru_cache(maxsize=1)
def state_names() -> dict[str, str]:
    """Folded name -> alpha-3, for every name kg accepts for a State."""
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                names.setdefault(_fold(value), country.alpha_3)
    path = resources.files("kg") / "data" / "registry" / "un_state_names.csv"
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            names[_fold(row["name"])] = row["alpha3"]
    return names


@lru_cache(maxsize=1)
def un_names() -> dict[str, str]:
    """alpha-3 -> the name the UN prints (first CSV row wins, else ISO's name)."""
    out: dict[str, str] = {}
    path = resources.files("kg") / "data" / "registry" / "un_state_names.csv"
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out.setdefault(row["alpha3"], row["name"])
    for country in pycountry.countries:
        out.setdefault(country.alpha_3, getattr(country, "common_name", None) or country.name)
    return out


def state_code(name: str) -> str | None:
    """ISO alpha-3 code of a State named as the UN prints it, or None.

    >>> state_code("Venezuela (Bolivarian Republic of)")
    'VEN'
    >>> state_code("United Kingdom of Great Britain and Northern Ireland")
    'GBR'
    """
    return state_names().get(_fold(name.strip(" *\u2009")))


def state_label(code: str) -> str:
    """The UN name of a State, for display."""
    return un_names().get(code, code)
