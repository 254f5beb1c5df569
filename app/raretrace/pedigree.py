"""PED (LINKAGE pedigree) files: who is the proband, who are the parents, who is affected.

Six whitespace-separated columns: family, individual, father, mother, sex (1 or M male, 2 or F female, other unknown),
phenotype (2 affected, 1 unaffected, 0/-9 unknown; a column with any other number holds quantities, and no
status is read). Lines starting with '#' are comments. As in PLINK, family and individual together are the key:
each family may number its individuals from 1, and a VCF sample FAMILY_INDIVIDUAL is that individual.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .case import matching_sample
from .errors import RareTraceError

MAX_PED_BYTES = 5 * 1024 * 1024
_MISSING = ("0", "", ".", "-9")
# PLINK's 1/2, and the letters and words other tools write (peddy, Excel-made PEDs): "M" was read as unknown, so
# a father's chrX calls were not read as a male's and a patient's sex went unchecked against the case's
PED_SEX = {"1": "MALE", "2": "FEMALE", "m": "MALE", "f": "FEMALE", "male": "MALE", "female": "FEMALE"}
_STATUS = ("0", "1", "2", "-9")  # a phenotype column of these only is affection status
_MAX_DESCENT = 200  # ancestors (or states of their copies) worked through for sharing by descent
_MAX_KIN_GENERATIONS = 8  # generations up from each of two individuals looked through to name their kinship
_ORDINALS = ("first", "second", "third")
_REMOVED = (" once removed", " twice removed", " three times removed")


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
    quantitative: str = ""  # a value of a phenotype column of quantities (no affection status is read), or ""

    @property
    def name(self) -> str:
        """The PED file's name as messages give it ("trio.ped"; "the PED file" where none is known)."""
        return Path(self.path).name if self.path else "the PED file"

    def get(self, individual: str) -> Individual | None:
        return next((i for i in self.individuals if i.id == individual), None)

    def get_in(self, family: str, individual: str) -> Individual | None:
        """The individual of that ID in that family (None where it has no line there)."""
        return next((i for i in self.individuals if i.family == family and i.id == individual), None)

    def parents(self, individual: str) -> tuple[str | None, str | None]:
        person = self.get(individual)
        return (person.father, person.mother) if person else (None, None)

    def affected(self) -> list[Individual]:
        return [i for i in self.individuals if i.affected]

    def related_by_descent(self, a: str, b: str) -> bool | None:
        """Whether two individuals of a's family share an ancestor in the PED (one the other's, or themselves): True;
        False where the PED joins them only through a couple (a partner, an uncle's wife); None where it does not
        join them at all (founders listed side by side), as nothing then says how they are related."""
        person = self.get(a)
        if person is None:
            return None
        members = {i.id: i for i in self.individuals if i.family == person.family}
        if b not in members:
            return None

        def ancestors(start: str) -> set[str]:
            seen, todo = set(), [start]
            while todo:
                x = todo.pop()
                if x not in seen:
                    seen.add(x)
                    if x in members:
                        todo += [q for q in (members[x].father, members[x].mother) if q is not None]
            return seen

        if ancestors(a) & ancestors(b):
            return True
        links: dict[str, set[str]] = {}  # parent-child edges, parents without a line of their own included
        for i in members.values():
            for q in (i.father, i.mother):
                if q is not None:
                    links.setdefault(i.id, set()).add(q)
                    links.setdefault(q, set()).add(i.id)
        seen, todo = {a}, [a]
        while todo:
            for y in links.get(todo.pop(), ()):
                if y not in seen:
                    seen.add(y)
                    todo.append(y)
        return False if b in seen else None

    def kinship(self, a: str, b: str) -> str | None:
        """What b is to a by descent in a's family, as a clinician names it: father, paternal grandmother, great-
        grandfather, child, grandchild, sibling, maternal half-sibling, paternal aunt, half-uncle, niece, grandnephew,
        maternal first cousin, first cousin once removed, second cousin. Paternal or maternal says through which of
        a's parents (left out where both lines lead there: related parents); 'grandparent', 'aunt or uncle', 'niece
        or nephew' where the PED gives no sex. Two who share a parent are full siblings unless both have both
        parents given and the other differs (as sharing_probability reads them). None where the PED does not join
        them by descent or the kinship is too distant to name (past third cousins)."""
        person = self.get(a)
        if person is None or a == b:
            return None
        members = {i.id: i for i in self.individuals if i.family == person.family}
        if b not in members:
            return None
        fathers = {i.father for i in members.values()}
        mothers = {i.mother for i in members.values()}

        def sex(x: str) -> str | None:  # a parent column says it where the line does not
            own = members[x].sex if x in members else None
            return own or ("MALE" if x in fathers else "FEMALE" if x in mothers else None)

        def word(x: str, prefix: str, male: str, female: str) -> str:
            return {"MALE": prefix + male, "FEMALE": prefix + female}.get(sex(x) or "", f"{prefix}{female} or {prefix}{male}")

        def lines(start: str) -> dict[str, dict[str, int]]:
            # each ancestor (start itself at 0) -> {start's parent it is reached through ("" for start): generations}
            found: dict[str, dict[str, int]] = {start: {"": 0}}
            todo = [(start, "", 0)]
            while todo:
                x, side, depth = todo.pop()
                i = members.get(x)
                if i is None or depth >= _MAX_KIN_GENERATIONS:
                    continue
                for parent, first in ((i.father, "paternal"), (i.mother, "maternal")):
                    if parent is None:
                        continue
                    via = side or first
                    if found.setdefault(parent, {}).get(via, depth + 2) > depth + 1:
                        found[parent][via] = depth + 1
                        todo.append((parent, via, depth + 1))
            return found

        def sided(sides: set[str], name: str) -> str:
            return f"{next(iter(sides))} {name}" if len(sides) == 1 and "" not in sides else name

        mine, theirs = lines(a), lines(b)
        if b in mine:  # b is a's ancestor
            depth = min(mine[b].values())
            if depth == 1:
                return {"MALE": "father", "FEMALE": "mother"}.get(sex(b) or "", "parent")
            kin = "great-" * (depth - 2) + {"MALE": "grandfather", "FEMALE": "grandmother"}.get(sex(b) or "", "grandparent")
            return sided({s for s, d in mine[b].items() if d == depth}, kin)
        if a in theirs:  # a is b's ancestor
            depth = min(theirs[a].values())
            return "child" if depth == 1 else "great-" * (depth - 2) + "grandchild"
        best: tuple[int, int] | None = None
        sides: set[str] = set()
        half = False
        children: dict[str, list[Individual]] = {}
        for i in members.values():
            for q in {i.father, i.mother} - {None}:
                children.setdefault(q, []).append(i)
        for x, x_sides in mine.items():
            i = members.get(x)
            # y: x's siblings (sharing a parent) of b's line
            for j in (j for q in ((i.father, i.mother) if i else ()) if q for j in children[q]):
                y = j.id
                if x == y or y not in theirs:
                    continue
                father = i.father is not None and i.father == j.father
                mother = i.mother is not None and i.mother == j.mother
                if not (father or mother):
                    continue
                dx, dy = min(x_sides.values()), min(theirs[y].values())
                if best is not None and (dx + dy, dx) > (best[0] + best[1], best[0]):
                    continue
                if best != (dx, dy):
                    best, sides, half = (dx, dy), set(), True
                split = father != mother and None not in (i.father, i.mother, j.father, j.mother)
                half = half and split
                # a half-sibling's side is the parent shared; anyone else's the line of a's parents it runs through
                sides |= {"paternal" if father else "maternal"} if dx == 0 and split else \
                    {s for s, d in x_sides.items() if d == dx}
        if best is None:
            return None
        dx, dy = best
        if dx == dy == 0:
            return sided(sides, "half-sibling") if half else "sibling"
        if dy == 0:  # b is the sibling of a's ancestor
            kin = word(b, ("half-" if half else "") + "great-" * (dx - 1), "uncle", "aunt")
            return sided(sides, kin)
        if dx == 0:  # b descends from a's sibling
            return word(b, ("half-" if half else "") + ("great-" * (dy - 2) + "grand" if dy > 1 else ""), "nephew", "niece")
        degree, removed = min(dx, dy), abs(dx - dy)
        if degree > len(_ORDINALS) or removed > len(_REMOVED):
            return None
        kin = f"{'half ' if half else ''}{_ORDINALS[degree - 1]} cousin{_REMOVED[removed - 1] if removed else ''}"
        return sided(sides, kin)

    def sharing_probability(self, proband: str, carriers: Sequence[str], x_linked: bool = False) -> float | None:
        """The chance, by Mendelian transmission alone, that every one of `carriers` has a copy identical by descent
        with the proband's one variant allele: what a variant unrelated to the disease would show (Jarvik & Browning's informative meioses are -log2 of it: a sibling or parent 1/2, a
        grandparent, aunt or half-sibling 1/4, a first cousin 1/8). `x_linked`: X outside the PARs (a father gives
        his X to daughters only, a son his mother's). None where the PED cannot tell: a carrier it does not join to
        the proband by descent, a sex unknown on X, or a pedigree too large to work through."""
        person = self.get(proband)
        if person is None or any(self.related_by_descent(proband, c) is not True for c in carriers):
            return None
        members = {i.id: i for i in self.individuals if i.family == person.family}
        partners: dict[str, set[str]] = {}  # a parent -> the other parents of their children with both given
        for i in members.values():
            if i.father is not None and i.mother is not None:
                partners.setdefault(i.father, set()).add(i.mother)
                partners.setdefault(i.mother, set()).add(i.father)

        children: dict[str, list[str]] = {}
        for i in members.values():
            for q in (i.father, i.mother):
                if q is not None:
                    children.setdefault(q, []).append(i.id)

        def descends(x: str, start: str) -> bool:  # x is start or one of start's descendants
            seen, todo = set(), [start]
            while todo:
                y = todo.pop()
                if y == x:
                    return True
                if y not in seen:
                    seen.add(y)
                    todo += children.get(y, [])
            return False

        def other(x: str, given: str, role: str) -> str:
            # the patient's other parent where the given one is the patient's (a sister listed with her father alone
            # is the patient's full sister, as kinship and _relation name her: more sharing by chance, so never more
            # meioses than the PED shows), else the given one's one partner, else one unknown person for all the
            # given one's children; never x's own descendant (a loop)
            own = (person.father, person.mother)
            known = {q for q in own if given in own and q not in (given, None)} or partners.get(given, set())
            if len(known) == 1 and not descends(next(iter(known)), x):
                return next(iter(known))
            return f"\0{role}:{given}"

        known_parents: dict[str, tuple[str | None, str | None]] = {}

        def parents(x: str) -> tuple[str | None, str | None]:
            if x not in known_parents:
                i = members.get(x)
                known_parents[x] = (None, None) if i is None or (i.father is None and i.mother is None) else \
                    (i.father or other(x, i.mother, "father"), i.mother or other(x, i.father, "mother"))
            return known_parents[x]

        order: list[str] = []  # parents before children
        done: set[str] = set()
        for target in (proband, *carriers):
            todo = [(target, False)]
            while todo:
                x, ready = todo.pop()
                if x in done:
                    continue
                if ready:
                    done.add(x)
                    order.append(x)
                    continue
                todo.append((x, True))
                todo += [(q, False) for q in parents(x) if q is not None and q not in done]
        if len(order) > _MAX_DESCENT:
            return None
        sex: dict[str, str | None] = {}
        for x in order:
            father, mother = parents(x)
            sex.setdefault(x, members[x].sex if x in members else None)
            if father is not None:
                sex[father], sex[mother] = sex.get(father) or "MALE", sex.get(mother) or "FEMALE"
        if x_linked and any(sex[x] is None for x in order):
            return None
        last_child = {q: n for n, x in enumerate(order) for q in parents(x) if q is not None}
        founders = [x for x in order if parents(x)[0] is None]
        wanted = set(carriers)

        def dropped(founder: str, with_carriers: bool) -> float | None:
            # the founder's one labelled allele dropped down the pedigree: states are its copies in those still needed
            states: dict[tuple[tuple[str, int], ...], float] = {(): 1.0}
            for n, x in enumerate(order):
                father, mother = parents(x)
                male = sex[x] == "MALE"
                ploidy = 1 if x_linked and male else 2
                out: dict[tuple[tuple[str, int], ...], float] = {}
                for state, p in states.items():
                    have = dict(state)
                    if father is None:
                        spread = {int(x == founder): 1.0}
                    else:
                        f = 0.0 if x_linked and male else have[father] / (1 if x_linked else 2)
                        m = have[mother] / 2
                        spread = {0: (1 - f) * (1 - m), 1: f * (1 - m) + m * (1 - f), 2: f * m}
                    for copies, q in spread.items():
                        if not q or (with_carriers and x in wanted and not copies):
                            continue
                        if x == proband:
                            q *= copies / ploidy  # the chance that the proband's variant allele is this one
                        keep = {k: v for k, v in have.items() if last_child.get(k, -1) > n}
                        if last_child.get(x, -1) > n:
                            keep[x] = copies
                        key = tuple(sorted(keep.items()))
                        out[key] = out.get(key, 0.0) + p * q
                states = out
                if len(states) > _MAX_DESCENT:
                    return None
            return sum(states.values())

        shared = given = 0.0
        for founder in founders:
            alleles = 1 if x_linked and sex[founder] == "MALE" else 2
            both, alone = dropped(founder, True), dropped(founder, False)
            if both is None or alone is None:
                return None
            shared, given = shared + alleles * both, given + alleles * alone
        return shared / given if given > 0 else None

    def matched_to(self, samples: Sequence[str], vcf_name: str = "the VCF") -> tuple[Pedigree, dict[str, str]]:
        """The pedigree with its individuals renamed to the VCF's samples that are theirs under another name, and
        the renames made by letter case ({PED ID: sample}), to be said. PLINK keys an individual by family and ID,
        numbering each family from 1, and writes its VCF samples as FAMILY_ID: individual 3 of FAM2 is the sample
        "FAM2_3". LIMS exports and hand-written PEDs differ in case from the caller's sample names ("DAD" for the
        VCF's "dad"): renamed where exactly one sample matches so and no individual bears the name already, since
        an unmatched parent would silently turn a trio into a singleton. A sample that is the ID of individuals of
        several families is an error: whose genotypes it holds cannot be told."""
        present = set(samples)
        families: dict[str, list[str]] = {}
        for person in self.individuals:
            families.setdefault(person.id, []).append(person.family)
        names: dict[tuple[str, str], str] = {}  # (family, ID) -> its sample
        by_case: dict[str, str] = {}
        for person in self.individuals:
            plink = f"{person.family}_{person.id}"
            if person.id in present and len(families[person.id]) == 1:
                continue
            if plink in present and plink not in families:
                names[(person.family, person.id)] = plink
            elif person.id not in present and len(families[person.id]) == 1:
                found = matching_sample(samples, person.id)
                if found is not None and found not in families:
                    names[(person.family, person.id)] = by_case[person.id] = found
        # an ID of several families that is a sample as it stands, with more than one of them left unmatched
        shared = [i for i, fams in families.items() if i in present
                  and sum((f, i) not in names for f in fams) > 1]  # fmt: skip
        if shared:
            where = self.name
            held = sorted({f for i in shared for f in families[i] if (f, i) not in names})
            listed = ", ".join(shared[:8]) + (f", … ({len(shared)} samples)" if len(shared) > 8 else "")
            raise RareTraceError(
                f"{where} numbers its individuals within each family, and {vcf_name}'s sample"
                f"{'s' if len(shared) > 1 else ''} {listed} {'are each' if len(shared) > 1 else 'is'} an individual "
                f"of several families ({', '.join(held[:8])}{', …' if len(held) > 8 else ''}): whose genotypes "
                f"{'they hold' if len(shared) > 1 else 'it holds'} cannot be told; give the PED of the patient's "
                f"family only, or name the VCF's samples FAMILY_INDIVIDUAL as PLINK does ({held[0]}_{shared[0]})")
        if not names:
            return self, {}
        find = _finder(self.individuals)

        def named(family: str, x: str | None) -> str | None:
            found = find(family, x)
            return names.get((found.family, found.id), x) if found is not None else x

        people = tuple(replace(i, id=names.get((i.family, i.id), i.id), father=named(i.family, i.father),
                               mother=named(i.family, i.mother)) for i in self.individuals)  # fmt: skip
        return replace(self, individuals=people), by_case

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
    if not path.exists():
        raise RareTraceError(f"PED file not found: {path}")
    if not path.is_file():  # a pipe would be read without end, a device as nothing
        raise RareTraceError(f"{path} is not a file (a pipe or a device); give the path of a PED file")
    if path.stat().st_size > MAX_PED_BYTES:
        raise RareTraceError(f"{path} is too large for a PED file (> 5 MB)")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RareTraceError(f"{path} is not a text PED file (not UTF-8)") from exc
    except OSError as exc:  # not readable: permissions, a vanished drive
        raise RareTraceError(f"cannot read the PED file {path}: {exc.strerror or exc}") from None
    people: list[Individual] = []
    seen: set[tuple[str, str]] = set()
    quantitative = ""  # PLINK's key: family and ID (each family may be numbered from 1)
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
        if (family, ind) in seen:
            raise RareTraceError(f"{path} line {n}: individual {ind!r} of family {family} is listed twice")
        seen.add((family, ind))
        person = Individual(
            family=family,
            id=ind,
            father=None if father in _MISSING else father,
            mother=None if mother in _MISSING else mother,
            sex=PED_SEX.get(sex.lower()),
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
        if not quantitative and pheno not in _STATUS and _number(pheno):
            quantitative = pheno
    if not people:
        raise RareTraceError(f"{path} has no pedigree lines")
    # A parent in the wrong column (mother and father swapped) would turn every "from the father" into "from the
    # mother" in the evidence, and the chrX checks with them: the columns must agree with the parents' own sex.
    find = _finder(people)
    for person in people:
        for role, parent, column, wrong in (("father", person.father, "third", "FEMALE"),
                                            ("mother", person.mother, "fourth", "MALE")):  # fmt: skip
            found = find(person.family, parent)
            if found is not None and found.sex == wrong:
                raise RareTraceError(
                    f"{path}: {parent} is {person.id}'s {role} (the {column} column) but has sex "
                    f"{'2 (female)' if wrong == 'FEMALE' else '1 (male)'} on its own line; the father's ID goes in "
                    "the third column and the mother's in the fourth: correct the PED file")
    cycle = _cycle(people)
    if cycle:
        steps = ", ".join(f"{child} of {parent}" for child, parent in zip(cycle[1:-1], cycle[2:], strict=True))
        raise RareTraceError(f"{path}: {cycle[0]} is its own ancestor ({cycle[0]} is the child of {cycle[1]}"
                             f"{', ' + steps if steps else ''}); correct the PED file")
    if quantitative:  # PLINK's rule: a column of quantities, whose 1s and 2s are values, not unaffected/affected
        people = [replace(i, affected=None) for i in people]
    return Pedigree(tuple(people), str(path), quantitative)


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _finder(people: Sequence[Individual]) -> Callable[[str, str | None], Individual | None]:
    """find(family, ID): a parent named on a line, in its child's family (None where it has no line there). Family
    and ID are the key, as in PLINK: a parent without a line in its child's family is not another family's
    individual of that ID (FAM2's unlisted father 2 is not FAM1's mother 2)."""
    keyed = {(i.family, i.id): i for i in people}

    def find(family: str, individual: str | None) -> Individual | None:
        return None if individual is None else keyed.get((family, individual))

    return find


def _cycle(people: Sequence[Individual]) -> list[str]:
    """A chain of parents that comes back to where it began ([a, b, a]: a is the child of b, b of a), or []."""
    find = _finder(people)
    parents: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {}
    for i in people:
        found = (find(i.family, i.father), find(i.family, i.mother))
        parents[(i.family, i.id)] = tuple((p.family, p.id) for p in found if p is not None)
    state: dict[tuple[str, str], int] = {}  # 1: on the chain followed now, 2: no cycle above it
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
                return [key[1] for key in (*chain[chain.index(parent):], parent)]
            elif parent not in state:
                state[parent] = 1
                chain.append(parent)
                todo.append(iter(parents.get(parent, ())))
    return []
