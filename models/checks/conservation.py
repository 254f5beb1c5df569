"""How conserved the residues of causal and background missense SNVs are (interpret.CONSERVATION_PRIOR, and the
stop-or-missense classes of interpret.PROTEIN_PRIOR).

For the dev phenopackets' causal SNVs (placed on GRCh37 as models/simulate_exomes.py places them) and the Pfeiffer
exome's SNVs that the bundled protein reads as missense (models/checks/codon_classes.py), the share with each decile
of the bundled conservation table (resources/conservation.tsv.gz: the fraction of homologous proteins keeping the
residue) and per class of codons.missense_by_conservation, per publication fold, with the likelihood ratio against the
exome (the priors are set from fold 1, the tuning fold).

    python models/checks/conservation.py --kb /tmp/kb.sqlite [--phenopackets /tmp/pp/phenopackets]
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "app"))
sys.path.insert(0, str(ROOT / "models"))
sys.path.insert(0, str(ROOT / "models" / "checks"))

from codon_classes import arguments, classify, snv_sets  # noqa: E402

from raretrace.genomics import gene_model as gm  # noqa: E402
from raretrace.genomics.codons import missense_by_conservation, stop_or_missense_by_conservation  # noqa: E402

CLASSES = {gm.MISSENSE_CONSERVED: "kept by >= 90%", gm.MISSENSE_CONSERVED_AMONG_FEW: ">= 90% of 3-9",
           gm.MISSENSE_PARTLY_CONSERVED: "kept by 60-90%",
           gm.MISSENSE_NOT_CONSERVED: "kept by < 60%", gm.MISSENSE_NOT_CONSERVED_AMONG_FEW: "< 60% of 3-9",
           gm.MISSENSE_FEW_HOMOLOGUES: "< 3 homologues",
           gm.MISSENSE: "no table row"}  # fmt: skip


def table(title: str, background: Counter, by_fold: dict[int, Counter], rows: list) -> None:
    folds = sorted(f for f in by_fold if f >= 0)
    n_bg = max(1, sum(background.values()))
    print(f"{title:<20}{'exome':>8}" + "".join(f"{'fold ' + str(f) + ' (LR)':>18}" for f in folds))
    for key, label in rows:
        bg = background[key] / n_bg
        row = f"{label:<20}{bg:>8.3f}"
        for f in folds:
            share = by_fold[f][key] / max(1, sum(by_fold[f].values()))
            row += f"{share:>10.3f} ({share / bg if bg else float('inf'):.2f})"
        print(row)


def main(argv: list[str] | None = None) -> int:
    args = arguments(__doc__.splitlines()[0]).parse_args(argv)
    index, causal, background = snv_sets(args)

    # Each SNV classified once: (record, class read against the protein, its residue's conservation).
    def read(records: list) -> list[tuple[int, int, gm.Conservation | None]]:
        return [(v, cls, index.conservation(g, residue)) for v, g, _codon, residue, cls in classify(index, records)]

    background_read, causal_read = read(background), read(causal)

    def kept(snvs: list) -> list[tuple[int, gm.Conservation | None]]:
        return [(v, k) for v, cls, k in snvs if cls == gm.MISSENSE]

    deciles, classes = Counter(), Counter()
    for _v, k in kept(background_read):
        deciles[k] += 1
        classes[missense_by_conservation(k)] += 1
    fold_deciles: dict[int, Counter] = defaultdict(Counter)
    fold_classes: dict[int, Counter] = defaultdict(Counter)
    for v, k in kept(causal_read):
        fold_deciles[causal[v][5]][k] += 1
        fold_classes[causal[v][5]][missense_by_conservation(k)] += 1
    table("decile kept", deciles, fold_deciles,
          [(None, "no table row"), (gm.Conservation(-1, False), "< 3 homologues")]
          + [(gm.Conservation(d, many), f"{10 * d}-{10 * d + 9}% of {'10+' if many else '3-9'}")
             for many in (True, False) for d in range(10)])  # fmt: skip
    print()
    table("class", classes, fold_classes, list(CLASSES.items()))
    print(f"missense SNVs: exome {sum(classes.values())}; causal per fold "
          f"{[sum(fold_classes[f].values()) for f in sorted(fold_classes) if f >= 0]}")

    # A stop or a missense change (the codon's third base decides: Arg's CGN>TGN ...) by its residue's conservation,
    # as shares of all coding SNVs (the codon classes' denominator; interpret.PROTEIN_PRIOR).
    def stop_or_missense(snvs: list) -> list[tuple[int, int]]:
        return [(v, stop_or_missense_by_conservation(k) if cls == gm.STOP_OR_MISSENSE else -1) for v, cls, k in snvs]

    coding = Counter(c for _v, c in stop_or_missense(background_read))
    fold_coding: dict[int, Counter] = defaultdict(Counter)
    for v, c in stop_or_missense(causal_read):
        fold_coding[causal[v][5]][c] += 1
    print()
    table("stop or missense", coding, fold_coding, [(gm.STOP_OR_MISSENSE_CONSERVED, "kept by >= 60%"),
                                                    (gm.STOP_OR_MISSENSE, "other residues")])  # fmt: skip
    print(f"coding SNVs: exome {sum(coding.values())}; causal per fold "
          f"{[sum(fold_coding[f].values()) for f in sorted(fold_coding) if f >= 0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
