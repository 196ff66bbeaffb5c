"""The :class:`Problem` builder: tables, a pairing shape and declarative rules.

Example
-------
>>> import pandas as pd, banghdai as bd
>>> mentors = pd.DataFrame({"mentor_id": ["M1", "M2"], "rating": [5, 4], "capacity": [2, 1]})
>>> mentees = pd.DataFrame({"mentee_id": ["E1", "E2", "E3"], "rating": [1, 2, 3]})
>>> problem = bd.Problem(mentors, mentees, pairing=bd.OneToMany(capacity="capacity"))
>>> result = problem.require(bd.Stronger("rating")).prefer(bd.StrongToWeak("rating")).solve()
>>> len(result.pairs), result.status.name
(3, 'OPTIMAL')
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Mapping

import pandas as pd

from ..core.errors import DataWarning, InputError, Msg, Word
from ..data.schema import Table, prepare_table
from .levels import MaxMin
from .pairing import OneToOne, Pairing
from .registry import classes
from .rules import AvoidSame, FixedPairs, ForbiddenPairs, PairScore


class Problem:
    """Mentors, mentees, a pairing shape and the rules that decide and score pairs.

    Parameters
    ----------
    mentors, mentees
        One row per mentor / mentee (people or organisations). Required column:
        ``mentor_id`` / ``mentee_id`` (or ``id``). Optional columns used by
        rules: ``province``, ``city``, ``county``, ``township``, ``village``,
        ``lat``, ``lon``, ``domains`` (list or ``;``-separated), ``rating``,
        ``capacity``, ``mentors_required``, ``kind`` (person / org), and any
        other column a rule names. The tables are copied, never modified.
    pairing
        The shape: :func:`OneToOne` (default), :func:`OneToMany`,
        :func:`ManyToOne` or :func:`ManyToMany`.
    columns
        ``{canonical: your column}`` for both tables, e.g.
        ``{"township": "乡镇"}``; ``mentor_columns`` / ``mentee_columns`` for one
        side only (they win over ``columns``).

    Example
    -------
    >>> import pandas as pd, banghdai as bd
    >>> mentors = pd.DataFrame({"导师编号": ["M1"], "乡镇": ["良田镇"]})
    >>> mentees = pd.DataFrame({"对象编号": ["E1"], "乡镇": ["良田镇"]})
    >>> p = bd.Problem(mentors, mentees).require(bd.SameRegion("township"))
    >>> p.solve().pairs[["mentor_id", "mentee_id"]].values.tolist()
    [['M1', 'E1']]
    """

    def __init__(
        self,
        mentors: pd.DataFrame,
        mentees: pd.DataFrame,
        *,
        pairing: Pairing | None = None,
        columns: Mapping[str, str] | None = None,
        mentor_columns: Mapping[str, str] | None = None,
        mentee_columns: Mapping[str, str] | None = None,
    ) -> None:
        pairing = OneToOne() if pairing is None else pairing
        if not isinstance(pairing, Pairing):
            raise InputError(
                Msg("input.pairing_type", value=pairing),
                column="pairing",
            )
        self.pairing = pairing
        for what, given in (("columns", columns), ("mentor_columns", mentor_columns),
                            ("mentee_columns", mentee_columns)):
            if given is not None and not isinstance(given, Mapping):
                raise InputError(Msg("input.mapping_not_dict", what=what, value=given),
                                 column=what)
        self._columns = {"flat": dict(columns or {}), "mentors": dict(mentor_columns or {}),
                         "mentees": dict(mentee_columns or {})}
        self.mentor_table: Table = prepare_table(
            mentors, "mentors", {**(columns or {}), **(mentor_columns or {})}
        )
        self.mentee_table: Table = prepare_table(
            mentees, "mentees", {**(columns or {}), **(mentee_columns or {})}
        )
        for table in (self.mentor_table, self.mentee_table):
            if len(table) == 0:
                warnings.warn(DataWarning(Msg("input.no_rows_warning", side=Word(table.side))),
                              stacklevel=2)
        self.edge_rules: list = []
        self.group_rules: list = []
        self.scores: list = []
        self.fixed: list[FixedPairs] = []
        self.levels: list = []

    # ------------------------------------------------------------------ building
    @property
    def mentors(self) -> pd.DataFrame:
        """The checked copy of the mentors table (canonical column names)."""
        return self.mentor_table.frame

    @property
    def mentees(self) -> pd.DataFrame:
        """The checked copy of the mentees table (canonical column names)."""
        return self.mentee_table.frame

    def require(self, *rules: object) -> Problem:
        """Add hard rules: edge rules (SameRegion, MaxDistance, Nearest, SharesDomain, Stronger,
        AvoidSame, ForbiddenPairs, FixedPairs) and group rules (DistinctTypes, RoleTemplate,
        Quota, Load).

        Returns the problem, so calls chain.

        Example
        -------
        >>> import pandas as pd, banghdai as bd
        >>> p = bd.Problem(pd.DataFrame({"mentor_id": [1]}), pd.DataFrame({"mentee_id": [1]}))
        >>> len(p.require(bd.AvoidSame("mentor_id")).edge_rules)
        1
        """
        for rule in rules:
            kind = getattr(rule, "kind", None) if isinstance(rule, classes()) else None
            if kind == "fixed" and isinstance(rule, FixedPairs):
                self.fixed.append(rule)
            elif kind == "edge":
                self.edge_rules.append(rule)
            elif kind == "group":
                self.group_rules.append(rule)
            else:
                raise InputError(
                    Msg("input.require_takes", value=rule),
                    column="rule",
                    choices=[c.__name__ for c in classes("edge", "fixed", "group")],
                )
        return self

    def prefer(self, *scores: object, levels: list | None = None) -> Problem:
        """Add score terms to maximise, and optionally lexicographic levels before them.

        ``scores`` are DomainFit, Closeness, StrongToWeak or PairScore terms,
        summed with their weights. ``levels`` lists goals in order of
        importance — :class:`Coverage`, :class:`MaxMin`, :class:`BalanceLoad`,
        a score term or a list of terms — each solved then fixed for the next;
        the weighted ``scores`` come last. Without levels, coverage comes first
        and the weighted scores second (unless unmatched is forbidden or
        penalised).

        Example
        -------
        >>> import pandas as pd, banghdai as bd
        >>> p = bd.Problem(pd.DataFrame({"mentor_id": [1]}), pd.DataFrame({"mentee_id": [1]}))
        >>> len(p.prefer(bd.StrongToWeak("rating", weight=2)).scores)
        1
        """
        for term in scores:
            self._check_term(term)
            self.scores.append(term)
        for level in levels or []:
            terms = level if isinstance(level, list | tuple) else [level]
            for term in terms:
                if not isinstance(term, classes("level")):
                    self._check_term(term)
            self.levels.append(level)
        return self

    def _check_term(self, term: object) -> None:
        if isinstance(term, classes("level")):
            raise InputError(
                Msg("input.level_in_prefer", name=type(term).__name__),
                column="levels",
            )
        if not isinstance(term, classes("score")):
            raise InputError(
                Msg("input.prefer_takes", value=term),
                column="score",
                choices=[c.__name__ for c in classes("score")],
            )
        if isinstance(term, PairScore) and sum(
            isinstance(s, PairScore) and s.result_column == term.result_column and s is not term
            for s in [*self.scores, *self.level_terms()]
        ):
            raise InputError(Msg("input.pair_score_twice", name=term.result_column))

    def level_terms(self) -> list:
        """Score terms used inside the levels (for compiling their tables)."""
        out = []
        for level in self.levels:
            terms = level if isinstance(level, list | tuple) else [level]
            out += [t for t in terms if isinstance(t, classes("score"))]
            if isinstance(level, MaxMin):
                out += [t for t in level.terms if isinstance(t, classes("score"))]
        return out

    def forbid(
        self,
        pairs: pd.DataFrame | None = None,
        *,
        avoid_same: str | None = None,
        mentor: str = "mentor_id",
        mentee: str = "mentee_id",
    ) -> Problem:
        """Forbid listed pairs and/or pairs sharing a value of ``avoid_same`` (e.g. village).

        Example
        -------
        >>> import pandas as pd, banghdai as bd
        >>> p = bd.Problem(pd.DataFrame({"mentor_id": [1]}), pd.DataFrame({"mentee_id": [1]}))
        >>> p.forbid(pd.DataFrame({"mentor_id": [1], "mentee_id": [1]})).solve().pairs.empty
        True
        """
        if pairs is not None:
            self.edge_rules.append(ForbiddenPairs(pairs, mentor=mentor, mentee=mentee))
        if avoid_same is not None:
            self.edge_rules.append(AvoidSame(avoid_same))
        return self

    def fix(
        self, pairs: pd.DataFrame, *, mentor: str = "mentor_id", mentee: str = "mentee_id"
    ) -> Problem:
        """Fix pairs that must be formed (组织统筹); an error if one breaks a hard rule.

        Example
        -------
        >>> import pandas as pd, banghdai as bd
        >>> p = bd.Problem(pd.DataFrame({"mentor_id": [1, 2]}), pd.DataFrame({"mentee_id": [1]}))
        >>> p.fix(pd.DataFrame({"mentor_id": [2], "mentee_id": [1]})).solve().pairs.mentor_id.tolist()
        ['2']
        """
        self.fixed.append(FixedPairs(pairs, mentor=mentor, mentee=mentee))
        return self

    def column_mapping(self) -> dict:
        """The header mapping this problem was built with (as in a rules file's [columns]).

        Example
        -------
        >>> import pandas as pd, banghdai as bd
        >>> p = bd.Problem(pd.DataFrame({"工号": ["M1"]}), pd.DataFrame({"mentee_id": ["E1"]}),
        ...                mentor_columns={"mentor_id": "工号"})
        >>> p.column_mapping()
        {'mentors': {'mentor_id': '工号'}}
        """
        out: dict = dict(self._columns["flat"])
        for side in ("mentors", "mentees"):
            if self._columns[side]:
                out[side] = dict(self._columns[side])
        return out

    def in_id_order(self) -> Problem:
        """This problem with both tables' rows in id order (what the solver sees).

        Ties between pairings of equal value are broken by ids, not by the caller's row
        order: :func:`banghdai.solve` solves this copy, so the same roster in any row order
        gives the same pairs. Rules, shape and the caller's row numbers (for messages)
        are kept; the returned problem shares its rules with this one.

        Example
        -------
        >>> import pandas as pd, banghdai as bd
        >>> p = bd.Problem(pd.DataFrame({"mentor_id": ["M2", "M1"]}),
        ...                pd.DataFrame({"mentee_id": ["E1"]}))
        >>> p.in_id_order().mentors.mentor_id.tolist(), p.mentors.mentor_id.tolist()
        (['M1', 'M2'], ['M2', 'M1'])
        """
        mentors, mentees = self.mentor_table.in_id_order(), self.mentee_table.in_id_order()
        if mentors is self.mentor_table and mentees is self.mentee_table:
            return self
        out = copy.copy(self)
        out.mentor_table, out.mentee_table = mentors, mentees
        return out

    def __repr__(self) -> str:
        return (
            f"Problem({len(self.mentor_table)} mentors, {len(self.mentee_table)} mentees, "
            f"{self.pairing.shape}, {len(self.edge_rules)} edge rules, "
            f"{len(self.group_rules)} group rules, {len(self.scores)} scores, "
            f"{len(self.fixed)} fixed tables)"
        )
