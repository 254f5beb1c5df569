"""PED (LINKAGE pedigree) files: who is the proband, who are the parents, who is affected.

Six whitespace-separated columns: family, individual, father, mother, sex (1 male, 2 female, other unknown),
phenotype (2 affected, 1 unaffected, 0/-9 unknown). Lines starting with '#' are comments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import RareTraceError

MAX_PED_BYTES = 5 * 1024 * 1024
_MISSING = ("0", "", ".", "-9")


@dataclass(frozen=True, slots=True)
class Individual:
    family: str
    id: str
    father: str | None
    mother: str | None
    sex: str | None  # MALE | FEMALE | None (phenopacket vocabulary)
    affected: bool | None


@dataclass(frozen=True, slots=True)
class Pedigree:
    individuals: tuple[Individual, ...]
    path: str = ""

    def get(self, individual: str) -> Individual | None:
        return next((i for i in self.individuals if i.id == individual), None)

    def parents(self, individual: str) -> tuple[str | None, str | None]:
        person = self.get(individual)
        return (person.father, person.mother) if person else (None, None)

    def affected(self) -> list[Individual]:
        return [i for i in self.individuals if i.affected]

    def matched_to(self, samples: Sequence[str]) -> tuple[Pedigree, dict[str, str]]:
        """The pedigree with each individual the VCF names in another letter case ("DAD" for the VCF's "dad")
        renamed to that sample, where exactly one sample matches it so and no individual bears the name already;
        and the renames ({PED ID: sample}), to be said. LIMS exports and hand-written PEDs differ in case from the
        caller's sample names, and an unmatched parent would silently turn a trio into a singleton."""
        present = set(samples)
        ids = {i.id for i in self.individuals}
        folded: dict[str, list[str]] = {}
        for sample in samples:
            folded.setdefault(sample.casefold(), []).append(sample)
        renames = {}
        for person in self.individuals:
            found = folded.get(person.id.casefold(), [])
            if person.id not in present and len(found) == 1 and found[0] not in ids:
                renames[person.id] = found[0]
        if not renames:
            return self, {}

        def named(x: str | None) -> str | None:
            return renames.get(x, x) if x is not None else None

        people = tuple(replace(i, id=named(i.id), father=named(i.father), mother=named(i.mother))
                       for i in self.individuals)  # fmt: skip
        return Pedigree(people, self.path), renames

    def proband_candidates(self, samples: list[str]) -> list[str]:
        """Affected individuals genotyped in the VCF; those with both parents genotyped first (trio probands)."""
        present = set(samples)
        found = [i for i in self.affected() if i.id in present]
        with_parents = [i.id for i in found if i.father in present and i.mother in present]
        return with_parents or [i.id for i in found]


def read_ped(path: str | Path) -> Pedigree:
    path = Path(path)
    if path.is_dir():
        raise RareTraceError(f"{path} is a folder; give a PED file")
    if not path.is_file():
        raise RareTraceError(f"PED file not found: {path}")
    if path.stat().st_size > MAX_PED_BYTES:
        raise RareTraceError(f"{path} is too large for a PED file (> 5 MB)")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RareTraceError(f"{path} is not a text PED file (not UTF-8)") from exc
    people: list[Individual] = []
    seen: set[str] = set()
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split()
        if len(fields) < 6:
            raise RareTraceError(
                f"{path} line {n}: a PED line needs 6 columns (family, individual, father, mother, sex, phenotype); "
                f"found {len(fields)}"
            )
        family, ind, father, mother, sex, pheno = fields[:6]
        if ind in seen:
            raise RareTraceError(f"{path} line {n}: individual {ind!r} is listed twice")
        seen.add(ind)
        person = Individual(
            family=family,
            id=ind,
            father=None if father in _MISSING else father,
            mother=None if mother in _MISSING else mother,
            sex={"1": "MALE", "2": "FEMALE"}.get(sex),
            affected={"2": True, "1": False}.get(pheno),
        )
        # the patient's own genotypes would be read as a parent's (a de novo call turned "inherited", with PP1)
        for role, parent in (("father", person.father), ("mother", person.mother)):
            if parent == ind:
                raise RareTraceError(f"{path}: {ind} is given as its own {role} (line {n}); correct the PED file")
        if person.father is not None and person.father == person.mother:
            raise RareTraceError(f"{path}: {person.father} is given as both {ind}'s father and mother (line {n}); "
                                 "correct the PED file")
        people.append(person)
    if not people:
        raise RareTraceError(f"{path} has no pedigree lines")
    # A parent in the wrong column (mother and father swapped) would turn every "from the father" into "from the
    # mother" in the evidence, and the chrX checks with them: the columns must agree with the parents' own sex.
    sexes = {i.id: i.sex for i in people}
    for person in people:
        for role, parent, column, wrong in (("father", person.father, "third", "FEMALE"),
                                            ("mother", person.mother, "fourth", "MALE")):  # fmt: skip
            if parent is not None and sexes.get(parent) == wrong:
                raise RareTraceError(
                    f"{path}: {parent} is {person.id}'s {role} (the {column} column) but has sex "
                    f"{'2 (female)' if wrong == 'FEMALE' else '1 (male)'} on its own line; the father's ID goes in "
                    "the third column and the mother's in the fourth: correct the PED file")
    cycle = _cycle(people)
    if cycle:
        steps = ", ".join(f"{child} of {parent}" for child, parent in zip(cycle[1:-1], cycle[2:], strict=True))
        raise RareTraceError(f"{path}: {cycle[0]} is its own ancestor ({cycle[0]} is the child of {cycle[1]}"
                             f"{', ' + steps if steps else ''}); correct the PED file")
    return Pedigree(tuple(people), str(path))


def _cycle(people: Sequence[Individual]) -> list[str]:
    """A chain of parents that comes back to where it began ([a, b, a]: a is the child of b, b of a), or []."""
    parents = {i.id: tuple(p for p in (i.father, i.mother) if p is not None) for i in people}
    state: dict[str, int] = {}  # 1: on the chain followed now, 2: no cycle above it
    for start in parents:
        if start in state:
            continue
        chain, todo = [start], [iter(parents[start])]  # iterative: a PED of many generations cannot overflow
        state[start] = 1
        while todo:
            parent = next(todo[-1], None)
            if parent is None:
                state[chain.pop()] = 2
                todo.pop()
            elif state.get(parent) == 1:
                return [*chain[chain.index(parent):], parent]
            elif parent not in state:
                state[parent] = 1
                chain.append(parent)
                todo.append(iter(parents.get(parent, ())))
    return []
