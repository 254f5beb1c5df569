"""A small synthetic HPO release (hp.obo, phenotype.hpoa, genes_to_phenotype.txt) written by the tests.

It stands for "a newer official release a clinic downloads": it has a term and a disease the bundled January
2025 release lacks, an obsolete term with a replacement and an alternative ID.
"""

from __future__ import annotations

from pathlib import Path

TERMS = [
    # id, name, parents, extra lines
    ("HP:0000001", "All", [], []),
    ("HP:0000118", "Phenotypic abnormality", ["HP:0000001"], []),
    ("HP:0000005", "Mode of inheritance", ["HP:0000001"], []),
    ("HP:0000006", "Autosomal dominant inheritance", ["HP:0000005"], []),
    ("HP:0000007", "Autosomal recessive inheritance", ["HP:0000005"], []),
    ("HP:0000707", "Abnormality of the nervous system", ["HP:0000118"], []),
    ("HP:0001250", "Seizure", ["HP:0000707"], ['synonym: "Seizures" EXACT []', 'synonym: "Epileptic fit" RELATED []']),
    ("HP:0007359", "Focal-onset seizure", ["HP:0001250"], ["alt_id: HP:0002384"]),
    ("HP:0000152", "Abnormality of head or neck", ["HP:0000118"], []),
    ("HP:0000252", "Microcephaly", ["HP:0000152"], ['synonym: "Small head" EXACT layperson []']),
    ("HP:0000256", "Macrocephaly", ["HP:0000152"], []),
    ("HP:0040064", "Abnormality of limbs", ["HP:0000118"], []),
    ("HP:0001156", "Brachydactyly", ["HP:0040064"], ['synonym: "Short fingers" EXACT layperson []']),
    ("HP:0004322", "Short stature", ["HP:0000118"], ['synonym: "Decreased body height" EXACT []']),
    ("HP:0099901", "Glimmering retinal speckles", ["HP:0000118"], ['def: "A feature new in this release." []']),
    ("HP:0099902", "Old speckle term", [], ["is_obsolete: true", "replaced_by: HP:0099901"]),
]

DISEASES = [
    ("OMIM:100100", "Alpha syndrome", "GENEA", 101, ["HP:0001250", "HP:0000252", "HP:0004322"], "HP:0000006"),
    ("OMIM:100200", "Beta syndrome", "GENEB", 102, ["HP:0000256", "HP:0001156"], "HP:0000007"),
    ("OMIM:100300", "Gamma syndrome", "GENEC", 103, ["HP:0007359", "HP:0001156", "HP:0004322"], "HP:0000006"),
    ("OMIM:621999", "Speckled retina syndrome", "GENED", 104, ["HP:0099901", "HP:0000252"], "HP:0000007"),
]


def write_release(folder: Path, release: str = "2026-10-01") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["format-version: 1.2", f"data-version: hp/releases/{release}",
             'synonymtypedef: layperson "layperson term"', "ontology: hp", ""]
    for tid, name, parents, extra in TERMS:
        lines += ["[Term]", f"id: {tid}", f"name: {name}"]
        lines += extra
        lines += [f"is_a: {p}" for p in parents]
        lines.append("")
    (folder / "hp.obo").write_text("\n".join(lines), encoding="utf-8")
    counts: dict[str, int] = {}
    for disease, *_ in DISEASES:
        counts[disease.split(":")[0]] = counts.get(disease.split(":")[0], 0) + 1
    stated = "; ".join(f"{n}: {'ORPHANET' if src == 'ORPHA' else src}" for src, n in counts.items())
    hpoa = [f'#description: "HPO annotations for rare diseases [{stated}]"', f"#date: {release}", f"#version: {release}",
            "database_id\tdisease_name\tqualifier\thpo_id\treference\tevidence\tonset\tfrequency\tsex\tmodifier\t"
            "aspect\tbiocuration"]
    g2p = ["ncbi_gene_id\tgene_symbol\thpo_id\thpo_name\tfrequency\tdisease_id"]
    names = {t[0]: t[1] for t in TERMS}
    for disease, label, gene, gene_id, features, moi in DISEASES:
        for n, hpo in enumerate(features):
            freq = "HP:0040281" if n == 0 else "1/2"
            hpoa.append(f"{disease}\t{label}\t\t{hpo}\tPMID:{gene_id}000\tPCS\t\t{freq}\t\t\tP\tHPO:test[{release}]")
            g2p.append(f"{gene_id}\t{gene}\t{hpo}\t{names[hpo]}\t-\t{disease}")
        hpoa.append(f"{disease}\t{label}\t\t{moi}\t{disease}\tIEA\t\t\t\t\tI\tHPO:test[{release}]")
    (folder / "phenotype.hpoa").write_text("\n".join(hpoa) + "\n", encoding="utf-8")
    (folder / "genes_to_phenotype.txt").write_text("\n".join(g2p) + "\n", encoding="utf-8")
    return folder
