"""Sample rosters shipped with the package (synthetic, realistic).

* ``yinchuan`` — a city bank of 483 mentors (people and mentor party
  organisations) and about 600 mentees in six categories, 多对多 with capacities;
* ``fushan`` — 30 sent cadres, one practice mentor each from their own
  township's bank, with Chinese column names;
* ``fanxian`` — 150 village secretaries and 77 veteran mentors, capacity 2;
* ``villages`` — organisation pairing (结对共建): 40 strong villages mentor 30
  weak ones in 平罗县 by 地域相近、产业相连, with the 200-village table.

Example
-------
>>> import banghdai as bd
>>> sorted(bd.sample_names())
['fanxian', 'fushan', 'villages', 'yinchuan']
"""

from __future__ import annotations

from pathlib import Path

from ..core.errors import InputError, Msg
from .readers import Roster, read_roster


def _root() -> Path:
    packaged = Path(__file__).resolve().parents[1] / "_samples"
    if packaged.is_dir():
        return packaged
    # editable install / source checkout: <repo>/src/banghdai/data -> <repo>/data/samples
    return Path(__file__).resolve().parents[3] / "data" / "samples"


def sample_names() -> list[str]:
    """Names accepted by :func:`load_sample`.

    Example
    -------
    >>> import banghdai as bd
    >>> "yinchuan" in bd.sample_names()
    True
    """
    root = _root()
    return sorted(p.name for p in root.iterdir() if (p / "mentors.csv").exists()) if root.is_dir() else []


def sample_path(name: str) -> Path:
    """Folder of sample ``name``; unknown names raise listing the valid ones."""
    names = sample_names()
    if name not in names:
        raise InputError(Msg("read.unknown_sample", name=name), column="name", choices=names)
    return _root() / name


def load_sample(name: str) -> Roster:
    """Load a shipped sample roster; unpacks as ``mentors, mentees``.

    ``roster.problem()`` builds the problem its ``rules.toml`` describes.

    Example
    -------
    >>> import banghdai as bd
    >>> roster = bd.load_sample("yinchuan")
    >>> mentors, mentees = roster
    >>> len(mentors)
    483
    """
    return read_roster(sample_path(name))
