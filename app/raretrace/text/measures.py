"""Findings that clinical notes state as numbers: growth (height, weight, head circumference, BMI) in SD or centiles,
IQ, milestones by age.

"Height is 2.5 SD below the mean" is short stature and "she walked at 3 years" a delayed ability to walk, though
neither names the finding. Cut-offs are the usual clinical ones: beyond 2 SD or outside the 3rd-97th centile for
growth; walking after 18 months, sitting after 9 months, first words after 18 months, rolling over after 6 months
for milestones. A value within them rules the findings out ("OFC on the 50th centile": neither microcephaly nor
macrocephaly), as does a measurement stated to be normal ("height is normal", "normal head circumference"). A birth
weight is read for the gestational age (small or large for gestational age, by the same cut-offs), not as the
child's body weight. A few examination findings stated normal in words rule theirs out too: "normocephalic", "power
was full", "development is age-appropriate". "He is short" says short stature in words, and a laboratory value far
outside any age's reference range names its finding ("K 2.8 mmol/L": hypokalaemia), as do a blood pressure past its
95th centile and a fetal scan's nuchal measurement past its cut-off, or its biometry below its centile ("FL <3rd
centile": short fetal femur length).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence

from ..case import age_in_years, parse_age
from .context import RELATIVE_FIRST_WORDS
from .normalise import word_form
from .patient import AGE_UNITS, stated_patient

# measured quantity -> (HPO term when low, HPO term when high or None)
GROWTH: dict[str, tuple[str, str | None]] = {
    "stature": ("HP:0004322", "HP:0000098"),  # Short stature, Tall stature
    "head": ("HP:0000252", "HP:0000256"),  # Microcephaly, Macrocephaly
    "weight": ("HP:0004325", "HP:0004324"),  # Decreased body weight, Increased body weight
    "birth weight": ("HP:0001518", "HP:0001520"),  # Small for gestational age, Large for gestational age
    # Decreased body mass index, Obesity: a child's BMI past the 98th centile (+2 SD) is how obesity is defined
    # (UK-WHO), and diseases are annotated with Obesity, not with HPO's rarely used Increased body mass index
    "bmi": ("HP:0045082", "HP:0001513"),
    # A fetal scan's biometry for gestational age (a fetal head circumference is the head's, as after birth). HPO
    # names only the small side: Short fetal femur length, Short fetal humerus length (HPO: below the 2.5th centile,
    # read as growth is), Small fetal abdominal circumference, and Intrauterine growth retardation for an estimated
    # fetal weight (HPO: below the 10th centile; SGA, AC or EFW below the 10th, ISUOG 2020: see _LOW_LIMITS).
    "femur": ("HP:0011428", None), "humerus": ("HP:0011429", None), "fetal abdomen": ("HP:6000339", None),
    "fetal weight": ("HP:0001511", None),
}
_QUANTITY = {
    "height": "stature", "stature": "stature", "length": "stature", "body length": "stature",
    # "HC": head circumference as UK growth charts and clinic letters abbreviate it ("HC 41 cm (-3.2 SD)")
    "head circumference": "head", "ofc": "head", "hc": "head", "occipitofrontal circumference": "head",
    "occipito-frontal circumference": "head", "head size": "head", "weight": "weight", "body weight": "weight",
    "wt": "weight", "ht": "stature",  # as US notes abbreviate them ("Wt 11.2 kg (<3%)")
    "birth weight": "birth weight", "birthweight": "birth weight", "birth-weight": "birth weight",
    "bmi": "bmi", "body mass index": "bmi",
    "femur length": "femur", "femoral length": "femur", "humerus length": "humerus", "humeral length": "humerus",
    "abdominal circumference": "fetal abdomen", "fetal weight": "fetal weight", "foetal weight": "fetal weight",
    "estimated fetal weight": "fetal weight", "estimated foetal weight": "fetal weight",
}  # fmt: skip
# Abbreviations read only in capitals, as scan reports write them ("fl" is a femtolitre, "ac" before meals).
_CASED_QUANTITY = {"FL": "femur", "HL": "humerus", "AC": "fetal abdomen", "EFW": "fetal weight"}
QUANTITY_NAMES = frozenset(_QUANTITY)
SD_CUTOFF = 2.0
LOW_CENTILE, HIGH_CENTILE = 3.0, 97.0
# Quantities low from another centile (and its SD, -1.28 for the 10th) than the 3rd (-2 SD).
_LOW_LIMITS = {"fetal abdomen": (10.0, 1.28), "fetal weight": (10.0, 1.28)}
# Quantities whose HPO term for a far lower value is defined in SD: Severe short stature is "more than -4 SD from the
# mean" (HPO's definition), so "-5.6 SD" is that, not only Short stature. (HPO's Mild short stature, -2 to -3 SD, is
# left to the general term: notes call -2.5 SD "short stature", not mild.)
_SEVERE_LOW_SD: dict[str, tuple[float, str]] = {"stature": (4.0, "HP:0003510")}
SEVERE_GRADES = frozenset(t for _sd, t in _SEVERE_LOW_SD.values())

# Full-scale IQ bands (DSM/ICD): below 20 profound, 20-34 severe, 35-49 moderate, 50-69 mild, 70-84 borderline.
IQ_BANDS = ((20, "HP:0002187"), (35, "HP:0010864"), (50, "HP:0002342"), (70, "HP:0001256"), (85, "HP:0006889"))
_IQ_RE = re.compile(r"\b(?:full[- ]scale\s+)?(?:IQ|FSIQ|intelligence quotient)\b(?:\s+(?:score|of|was|is|=|:))*"
                    r"\s*(?:of\s+)?(?:about\s+|approximately\s+|~)?(?P<iq>\d{1,3})\b", re.IGNORECASE)

# Speech still absent or at single words at an age: "no words at 2 years", "single words only at 4 years".
SPEECH_DELAY = "HP:0000750"  # Delayed speech and language development
_FEW_WORDS_RE = re.compile(
    r"\b(?P<what>no\s+(?:single\s+|spoken\s+)?words|single\s+words\s+only|only\s+single\s+words)\s+(?:at|by)\s+"
    r"(?:the\s+)?(?:age\s+(?:of\s+)?)?(?P<age>\d+(?:[.,]\d+)?)\s*(?P<unit>months?|mo|years?|yrs?|y)\b",
    re.IGNORECASE,
)
# (no words past 18 months, single words only past 2 years: later than speech usually comes)
_FEW_WORDS_BY = {"no": 18.0, "single": 24.0, "only": 24.0}

# Beighton score (of 9): 5 or more is generalised joint hypermobility (the adult cut-off; children's is 6), 3 or less
# rules it out; 4 says neither.
JOINT_HYPERMOBILITY = "HP:0001382"
BEIGHTON_HYPERMOBILE, BEIGHTON_NORMAL = 5, 3
_BEIGHTON_RE = re.compile(r"\bBeighton(?:\s+score)?(?:\s+(?:of|was|is|=|:))*\s*:?\s*(?P<score>\d)\s*(?:/|out\s+of)\s*9\b",
                          re.IGNORECASE)

# "He is short", "she remains very short for her age": short stature said of the patient, at the end of what is said
# (not "the admission was short", "he had a short course", "short of breath"). "They"/relatives are not the patient.
SHORT_STATURE = "HP:0004322"
_SHORT_SUBJECTS = frozenset(("he", "she", "child", "boy", "girl", "patient", "proband", "infant", "toddler"))
_SAID_SHORT_RE = re.compile(
    r"\b(?:he|she|the\s+(?:" + "|".join(sorted(_SHORT_SUBJECTS - {"he", "she"})) + r"))\s+(?:is|was|remains|remained|"
    r"has\s+(?:always\s+)?been|had\s+(?:always\s+)?been|has\s+remained)\s+(?P<not>not\s+|neither\s+)?"
    r"(?:(?:very|relatively|markedly|proportionately|proportionally|disproportionately|also|still|quite|rather|"
    r"significantly|notably)\s+)*short\b"
    r"(?=\s*(?:[.,;:)]|$)|\s+(?:and|but|for|with|compared|relative|than|like|as|in|while|whereas|although|though|or|"
    r"nor|yet|too|now)\b)",
    re.IGNORECASE,
)

# Weight said lost by its amount: "she has lost 9 kg", "lost about 2 stone over a year" (a verb and a number, where
# the dictionary reads only the noun, "weight loss"). A mass unit is needed: "lost 2 teeth", "lost 3 years" are not.
WEIGHT_LOSS = "HP:0001824"
_WEIGHT_LOST_RE = re.compile(
    r"\b(?:lost|losing|loses|lose|dropped)\s+(?:(?:about|around|approximately|roughly|over|nearly|almost|some|"
    r"more\s+than|a\s+further|another|a\s+total\s+of)\s+)?~?\d+(?:[.,]\d+)?\s*(?:-\s*)?"
    r"(?:kg|kgs|kilos?|kilograms?|lbs?|pounds?|stones?|st)\b",
    re.IGNORECASE,
)

# Power graded in two places, the reduced one after the other: "Power was 5/5 proximally and mildly reduced distally
# in the lower limbs" (the dictionary reads "power (was) reduced distally" when nothing comes between).
_REDUCED_POWER_RE = re.compile(
    r"\bpower\s+(?:was|is|were|remains)\s+[^.;:\n]{0,30}?\b(?:proximally|distally|in\s+the\s+(?:upper|lower)\s+limbs)"
    r"\s+(?:and|but)\s+(?:(?:mildly|moderately|markedly|slightly|severely|significantly)\s+)?(?:reduced|decreased|weak)"
    r"\s+(?P<where>distally|proximally)(?:\s+in\s+the\s+(?P<limbs>lower|upper)\s+limbs)?\b",
    re.IGNORECASE,
)
_WEAKNESS_WHERE = {  # (where, limbs) -> the weakness's term
    ("distally", None): "HP:0002460", ("distally", "lower"): "HP:0009053", ("distally", "upper"): "HP:0008959",
    ("proximally", None): "HP:0003701", ("proximally", "lower"): "HP:0008994", ("proximally", "upper"): "HP:0008997",
}

# Laboratory values far outside any age's reference range, as letters give them ("K 2.8 mmol/L", "CK 45,000 U/L",
# "platelets 22 x10^9/L"): analyte -> (the unit assumed when none is written, [(unit, below, above, term or (term
# below, term above), normal)]), a limit None where the other side says nothing. The cut-offs are set well past the
# usual limits (ALT/AST 2.5x the upper limit, CK 5x, glucose below 2.6 mmol/L), so a child's or an adult's normal
# value never reads as abnormal. `normal`: the values normal at every age past the newborn period (inclusive bounds,
# the tightest of the usual paediatric and adult reference ranges), which rule the row's findings out, as "CK normal"
# does; values between them and the limits say nothing (a CK of 400 U/L is raised for a woman, normal for a newborn).
_LAB_LIMITS = {
    "alt": ("u/l", [("u/l", None, 100.0, "HP:0031964", (0.0, 30.0))]),  # Elevated circulating alanine aminotransferase
    "ast": ("u/l", [("u/l", None, 100.0, "HP:0031956", (0.0, 35.0))]),  # ... aspartate aminotransferase
    "ck": ("u/l", [("u/l", None, 1000.0, "HP:0003236", (0.0, 150.0))]),  # Elevated circulating creatine kinase concentration
    "potassium": ("mmol/l", [("mmol/l", 3.0, 6.0, ("HP:0002900", "HP:0002153"), (3.5, 5.0))]),  # Hypokalemia, Hyperkalemia
    "sodium": ("mmol/l", [("mmol/l", 130.0, 150.0, ("HP:0002902", "HP:0003228"), (135.0, 145.0))]),  # Hypo-, Hypernatremia
    "glucose": ("mmol/l", [("mmol/l", 2.6, None, "HP:0001943", (3.9, 7.8)),
                           ("mg/dl", 47.0, None, "HP:0001943", (70.0, 140.0))]),  # Hypoglycemia
    "haemoglobin": ("g/l", [("g/l", 100.0, None, "HP:0001903", (130.0, 170.0)),
                            ("g/dl", 10.0, None, "HP:0001903", (13.0, 17.0))]),  # Anemia
    "platelets": ("x10^9/l", [("x10^9/l", 100.0, 600.0, ("HP:0001873", "HP:0001894"), (150.0, 400.0))]),  # -penia, -cytosis
    "ammonia": ("umol/l", [("umol/l", None, 100.0, "HP:0001987", (0.0, 50.0))]),  # Hyperammonemia
    "lactate": ("mmol/l", [("mmol/l", None, 3.0, "HP:0002151", (0.0, 2.0))]),  # Increased circulating lactate concentration
    # Hypoalbuminemia: below 25 g/L is under every age's lower limit (adults 35, infants about 28 g/L; CALIPER and
    # adult ranges), the nephrotic range; 40-47 g/L is within the range at every age past the newborn period.
    "albumin": ("g/l", [("g/l", 25.0, None, "HP:0003073", (40.0, 47.0)),
                        ("g/dl", 2.5, None, "HP:0003073", (4.0, 4.7))]),
    # Hypertriglyceridemia: above 4.5 mmol/L (400 mg/dL) is past even a non-fed adult's limit (2.0 mmol/L, EAS
    # 2016); a child's fasting value is high from 1.1-1.5 mmol/L (NHLBI 2011), so up to 1.0 mmol/L is normal at any age.
    "triglycerides": ("mmol/l", [("mmol/l", None, 4.5, "HP:0002155", (0.0, 1.0)),
                                 ("mg/dl", None, 400.0, "HP:0002155", (0.0, 85.0))]),
    # Decreased / Elevated circulating TSH: outside 0.1-10 mU/L is past every reference limit (adults 0.4-4.0, children
    # and infants up to 5-6 mU/L) but the first days of life's surge (see _NEWBORN_HIGH); 0.7-4.0 is normal at any age.
    "tsh": ("mu/l", [("mu/l", 0.1, 10.0, ("HP:0031098", "HP:0002925"), (0.7, 4.0))]),
    # Decreased glomerular filtration rate: below 60 mL/min/1.73 m2, KDIGO's G3a, is decreased by any definition from
    # 2 years on (an infant's GFR is lower by nature: see _INFANT_LOW); 90 or more is normal (G1). 60-89 is "mildly
    # decreased" only with kidney damage (KDIGO) and normal in old age, and says nothing.
    "egfr": ("ml/min", [("ml/min", 60.0, None, "HP:0012213", (90.0, math.inf))]),
    # Leukopenia / Leukocytosis: below 3.0 x10^9/L is under every age's lower limit (adults 4.0, children 4.5-6);
    # above 30 past even a newborn's first-day upper limit (Harriet Lane); 6.0-11.0 is within every range past the
    # first days of life (a newborn's lower limit, about 9, is left to a stated verdict).
    "wcc": ("x10^9/l", [("x10^9/l", 3.0, 30.0, ("HP:0001882", "HP:0001974"), (6.0, 11.0))]),
    # Neutropenia: below 1.0 x10^9/L is under every age's lower limit, benign ethnic neutropenia's (about 1.0-1.5)
    # included; 2.0-7.5 is within every range past the first days of life.
    "neutrophils": ("x10^9/l", [("x10^9/l", 1.0, None, "HP:0001875", (2.0, 7.5))]),
    # Prolonged QTc interval: above 470 ms is past every age's and either sex's upper limit (AHA/ACCF 2009: 450 ms
    # men, 460 ms women; children about 450-460 ms); 350-440 ms is within them all. Values between say nothing.
    "qtc": ("ms", [("ms", None, 470.0, "HP:0005184", (350.0, 440.0))]),
}
# Values in a unit that the rows' own is a multiple of: haemoglobin in mmol/L (as Dutch laboratories give it: 6.2
# mmol/L is 100 g/L), ammonia in µg/dL (US: 170 µg/dL is 100 µmol/L). (analyte, unit) -> (factor, the row's unit)
_CONVERTED = {("haemoglobin", "mmol/l"): (16.11, "g/l"), ("ammonia", "ug/dl"): (0.587, "umol/l")}
# A value's finding that a named one of the same sentence holds ("renal insufficiency (eGFR 38)", "CKD stage 3, eGFR
# 41", "long QT syndrome, QTc 510 ms"): the value measures the finding named (or one below it), and is not another
# finding. Decreased GFR: Renal insufficiency; Prolonged QTc interval: Prolonged QT interval.
MEASURE_OF = {"HP:0012213": "HP:0000083", "HP:0005184": "HP:0001657"}
# Values that are normal at some early age though past a row's limit: an infant's low GFR (below 2 years), and the
# newborn's TSH surge (up to 20-40 mU/L in the first days). The patient's age is the one the note states.
_INFANT_LOW = {"egfr": 2.0}
_NEWBORN_HIGH = {"tsh": 28 / 365.25}
# Haemoglobin's lower limit in the first 6 months (g/dL, -2 SD; Nathan and Oski, Harriet Lane): a newborn's is
# higher than the row's 10 (13.5 in the first week, 12.5 the next), the physiological nadir's lower (9.0 at 1-3
# months, 9.5 to 6 months), so "Hb 9.5" at 2 months is normal. (age below, in years -> the limit over that span of
# ages: the lower of the limits at its two ends.)
_HB_INFANT = ((7 / 365.25, 13.5), (14 / 365.25, 12.5), (1 / 12, 10.0), (3 / 12, 9.0), (0.5, 9.5))
_INFANT_BELOW = {("haemoglobin", "g/dl"): _HB_INFANT,
                 ("haemoglobin", "g/l"): tuple((age, 10.0 * limit) for age, limit in _HB_INFANT)}
# What a value measured in another fluid than blood is ("CSF glucose 1.4 mmol/L", "urine albumin 18 mg/L"): not
# the circulating concentration the rows' terms name.
_OTHER_FLUIDS = frozenset(("csf", "urine", "urinary", "spot", "cerebrospinal", "fluid", "amniotic", "sweat", "stool",
                           "faecal", "fecal", "pleural", "ascitic", "vitreous"))
_LAB_NAMES = {
    "alt": "alt", "alanine aminotransferase": "alt", "ast": "ast", "aspartate aminotransferase": "ast", "ck": "ck",
    "cpk": "ck", "creatine kinase": "ck", "k": "potassium", "k+": "potassium", "potassium": "potassium",
    "na": "sodium", "na+": "sodium", "sodium": "sodium", "glucose": "glucose", "blood glucose": "glucose",
    "bg": "glucose", "hb": "haemoglobin", "haemoglobin": "haemoglobin", "hemoglobin": "haemoglobin",
    "platelets": "platelets", "platelet count": "platelets", "plt": "platelets", "plts": "platelets",
    "ammonia": "ammonia", "nh3": "ammonia", "lactate": "lactate", "albumin": "albumin", "alb": "albumin",
    "triglycerides": "triglycerides", "triglyceride": "triglycerides", "tg": "triglycerides", "tgs": "triglycerides",
    "trigs": "triglycerides", "tsh": "tsh", "egfr": "egfr", "gfr": "egfr", "estimated gfr": "egfr",
    "estimated glomerular filtration rate": "egfr", "wcc": "wcc", "wbc": "wcc", "white cell count": "wcc",
    "white blood cell count": "wcc", "white count": "wcc", "leukocytes": "wcc", "leucocytes": "wcc",
    "leukocyte count": "wcc", "leucocyte count": "wcc", "neutrophils": "neutrophils", "neutrophil count": "neutrophils",
    "absolute neutrophil count": "neutrophils", "anc": "neutrophils", "neuts": "neutrophils",
    "qtc": "qtc", "qtc interval": "qtc", "corrected qt": "qtc", "corrected qt interval": "qtc", "qt corrected": "qtc",
}  # fmt: skip
# The one-word analyte names, which a bracket of values may hold beside them ("transaminases (ALT 98, AST 112)").
LAB_NAME_WORDS = frozenset(name for name in _LAB_NAMES if " " not in name)
# Names read only as written: "k", "na" in lower case are no analytes, "EGFR" in capitals is the gene.
_LAB_CASED = {"k": ("K",), "na": ("Na", "NA"), "bg": ("BG",), "hb": ("Hb", "HB"), "tg": ("TG",), "tgs": ("TGs",),
              "tsh": ("TSH",), "anc": ("ANC",), "egfr": ("eGFR", "egfr"), "gfr": ("GFR",), "alb": ("Alb", "alb")}
_LAB_RE = re.compile(
    r"\b(?P<what>" + "|".join(sorted(map(re.escape, _LAB_NAMES), key=len, reverse=True)) + r")"
    r"(?:\s+(?:was|is|of|at|peaking\s+at|peaked\s+at|above|over|up\s+to))*\s*[:=]?\s*(?P<rel>[<>≤≥])?\s*"
    # thousands ("CK 45,000"), or a decimal point or comma ("K 2.8", "Hb 8,5 mmol/L" as European laboratories write it)
    r"(?P<value>\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:[.,]\d+)?)(?![.,]?\d)"
    # not a percentage or a dose ("neutrophils 45%", "potassium 600 mg daily")
    r"(?!\s*(?:mg|mcg|micrograms?|milligrams?|grams?)\b(?!/))"
    r"(?!\s*(?:%|x\s*ULN|times|fold|-fold|weeks?|days?|months?|years?|y\b|hours?|h\b))"
    r"(?:\s*(?P<unit>u/l|iu/l|mmol/l|meq/l|mg/dl|g/l|g/dl|[µu]mol/l|(?:[µu]|mc)g/dl|x\s*10\^?9/l|×\s*10\^?9/l|[x×]\s*10\^?3/[µu]l"
    r"|/[µu]l|/mm3|k/[µu]l|m[iu]?u/l|[µu]i?u/ml|ml/min(?:/1\.73\s*m(?:2|²|\^2))?|ms|msecs?)\b)?",
    re.IGNORECASE,
)
_LAB_KEYS = ("ALT", "AST", "CK", "CPK", "K+", "otassium", "Na+", "odium", "lucose", "aemoglobin", "emoglobin", "latelet",
             "Plt", "mmonia", "NH3", "actate", "minotransferase", "reatine kinase", "lb", "riglycerid", "TG", "trigs",
             "TSH", "GFR", "gfr", "lomerular filtration", "WCC", "WBC", "wcc", "wbc", "hite cell", "hite blood cell",
             "hite count", "eukocyte", "eucocyte", "eutrophil", "ANC", "neuts", "QTc", "QTC", "qtc", "orrected QT",
             # the short names as _LAB_CASED reads them, with what may follow: "K 2.8", "Hb: 7.2", "Na=125", "HB\t6.1"
             *(name + mark for name in ("K", "Na", "NA", "BG", "Hb", "HB") for mark in " :=\t"))


# A verdict in brackets after a value ("K 3.3 mmol/L (low)", "Hb 95 g/L (normal)"), or after a list of values shared
# out over them ("Na 138, K 4.1 (all normal)"): the reporting laboratory's reference range, which knows the patient's
# age and the method, so it decides over the rows' own limits. The list's other items: a name, a value and a unit.
_BRACKET_VERDICT = re.compile(
    r"(?P<list>(?:[ \t]*(?:,|\band\b)[ \t]*[A-Za-z][\w+-]*(?:[ \t][A-Za-z][\w+-]*){0,2}[ \t]*[:=]?[ \t]*[<>]?"
    r"\d[\d.,]*(?:[ \t]*[^\s,;()]{1,12}(?<![.,]))?){0,6})"
    # the laboratory's reference range may stand between ("CK 780 U/L (40-320) - raised"): it says nothing itself
    r"(?:[ \t]*\([ \t]*(?:(?:normal|ref|reference|range|nr)\b[ \t:]*)*[<>\u2264\u2265]?[ \t]*\d[\d.,]*"
    r"(?:[ \t]*[-\u2013][ \t]*\d[\d.,]*)?[ \t]*\))?"
    r"(?:[ \t]*\([ \t]*(?P<shared>(?:all|both|each)[ \t]+)?(?P<verdict>elevated|raised|high|increased|low|decreased|"
    r"reduced|normal)[ \t]*\)"
    # or after a dash, to the clause's end ("Hb 124 g/L, WCC 8.2, plt 310 - all normal"): a line's own verdict,
    # written after all its values, shared by every one of them
    r"|[ \t]+[-–—][ \t]*(?P<dashed>(?:all|both|each)[ \t]+)?(?P<dash_verdict>elevated|raised|high|increased|low|"
    r"decreased|reduced|normal)(?=[ \t]*(?:$|[.;,\n]))(?!\.\d))",
    re.IGNORECASE | re.MULTILINE,
)
_HIGH_VERDICTS = frozenset(("elevated", "raised", "high", "increased"))
# The list of _BRACKET_VERDICT that is one more value after "and", with a unit: "and ALT 92 U/L".
_AND_PAIR = re.compile(r"[ \t]+and[ \t]+[A-Za-z][\w+-]*(?:[ \t][A-Za-z][\w+-]*){0,2}[ \t]*[:=]?[ \t]*\d[\d.,]*"
                       r"[ \t]*[^\s\d,;()][^\s,;()]{0,11}", re.IGNORECASE)


_DIGIT = re.compile(r"\d")
# A unit after a value that _LAB_RE does not know ("ALT 2.5 µkat/L", "ammonia 250 µg/dL", "albumin 18 mg/mmol"):
# the value is not on the scale of the row's unit, and says nothing.
_OTHER_UNIT = re.compile(r"[ \t]*(?:[^\W\d_]{1,5}|10\^?\d{1,2})[ \t]*/[ \t]*[^\W_]")


def _lab_unit(unit: str | None) -> str | None:
    if not unit:
        return None
    u = unit.lower().replace(" ", "").replace("×", "x").replace("µ", "u").replace("^", "")
    if u in ("u/l", "iu/l"):
        return "u/l"
    if u == "meq/l":
        return "mmol/l"  # (of the monovalent ions and lactate that are read, a milliequivalent is a millimole)
    if u in ("mu/l", "miu/l", "uiu/ml", "uu/ml"):
        return "mu/l"
    if u.startswith("msec"):
        return "ms"
    if u.startswith("ml/min"):
        return "ml/min"
    if u in ("x109/l", "x103/ul", "k/ul"):
        return "x10^9/l"  # (10^3 per microlitre is 10^9 per litre)
    if u == "mcg/dl":
        return "ug/dl"
    if u in ("/ul", "/mm3"):
        return "/ul"  # a count per microlitre: "45,000/µL" is 45 x10^9/L
    return u


def patient_years(text: str) -> Callable[[], float | None]:
    """The patient's age in years as the note states it (None: not stated), read when first asked and kept for the
    note: its laboratory values, milestones not reached and walking still to come each may ask."""
    read: list[float | None] = []  # (a closure, not functools.cache: that costs ~3 us a note to make, the read none)

    def years() -> float | None:
        if not read:
            read.append(age_in_years(stated_patient(text).age))
        return read[0]

    return years


def _lab_findings(text: str, years: Callable[[], float | None]) -> Iterator[tuple[int, int, str, bool]]:
    """(start, end, HPO ID, False) for each laboratory value far outside its reference range, (start, end, HPO ID,
    True) for each finding that a value normal at any age rules out. `years`: the patient's age (patient_years)."""
    for m in _LAB_RE.finditer(text):
        name = m.group("what").lower()
        if name in _LAB_CASED and m.group("what") not in _LAB_CASED[name]:
            continue
        if _word_before(text, m.start()).strip(":") in _OTHER_FLUIDS:
            continue
        if _in_a_csf_clause(text, m.start()):
            continue  # "CSF protein 0.9 g/L and glucose 1.8 mmol/L": the CSF's glucose (see _csf_findings)
        analyte = _LAB_NAMES[name]
        default_unit, limits = _LAB_LIMITS[analyte]
        value = _lab_number(m.group("value"))
        unit = _lab_unit(m.group("unit"))
        if unit is None and _OTHER_UNIT.match(text, m.end()):
            continue
        if unit is None:
            unit = _unit_by_size(analyte, value) or default_unit
            if unit == "?":
                continue  # as small a number on one scale as it is large on the other
        if unit == "/ul" and analyte in ("platelets", "wcc"):
            value, unit = value / 1000.0, "x10^9/l"
        elif (analyte, unit) in _CONVERTED:
            factor, unit = _CONVERTED[analyte, unit]
            value *= factor
        rel = {"≤": "<", "≥": ">"}.get(m.group("rel") or "", m.group("rel"))
        verdict = _BRACKET_VERDICT.match(text, m.end(), m.end() + 240)
        paired = None
        if verdict is not None and verdict.group("list") and not verdict.group("shared") and not verdict.group(
                "dash_verdict"):
            # "Na 128, K 3.3 (low)": a bare verdict is the nearest value's only; but "AST 68 and ALT 92 U/L
            # (elevated)", two values joined by "and" with one unit written after both, share it where the first
            # value is itself outside its reference range on the verdict's side (read below)
            if m.group("unit") is None and _AND_PAIR.fullmatch(verdict.group("list")):
                paired = verdict
            verdict = None
        for limit_unit, below, above, terms, (low, high) in limits:
            if unit != limit_unit:
                continue
            if verdict is not None:
                yield from _stated_verdict(m, verdict, below, above, terms)
                break
            if paired is not None and rel is None and (
                    value > high if paired.group("verdict").lower() in _HIGH_VERDICTS else value < low):
                yield from _stated_verdict(m, paired, below, above, terms)
                break
            if (analyte, unit) in _INFANT_BELOW:
                below = _infant_below(_INFANT_BELOW[analyte, unit], below, value, years)
            low_term, high_term = terms if isinstance(terms, tuple) else (terms, terms)
            if below is not None and (value <= below if rel == "<" else value < below and rel != ">"):
                finding = low_term
            elif above is not None and (value >= above if rel == ">" else value > above and rel != "<"):
                finding = high_term
            else:
                # "<0.01", ">90": a bound, normal where every value past it is ("eGFR >90", "ALT <30")
                if (low <= value <= high) and (rel != ">" or high == math.inf) and (rel != "<" or low == 0.0):
                    for term in dict.fromkeys((low_term, high_term)):
                        yield m.start(), m.end(), term, True
                continue
            young = _INFANT_LOW if finding == low_term else _NEWBORN_HIGH
            if analyte in young:
                age = years()
                if age is not None and age < young[analyte]:
                    continue
            yield m.start(), m.end(), finding, False


def _stated_verdict(m: re.Match, verdict: re.Match, below: float | None, above: float | None,
                    terms: str | tuple[str, str]) -> Iterator[tuple[int, int, str, bool]]:
    """The findings of a value its bracketed verdict states (see _BRACKET_VERDICT): "normal" rules out the row's
    findings, a direction names the one on its side (none where the row has no term on that side)."""
    word = (verdict.group("verdict") or verdict.group("dash_verdict")).lower()
    end = m.end() if verdict.group("list") else verdict.end()  # (a listed value's span: its name and value)
    low_term, high_term = terms if isinstance(terms, tuple) else (
        (None, terms) if below is None else (terms, None) if above is None else (terms, terms))
    if word == "normal":
        for term in dict.fromkeys(t for t in (low_term, high_term) if t):
            yield m.start(), end, term, True
        return
    term = high_term if word in _HIGH_VERDICTS else low_term
    if term:
        yield m.start(), end, term, False


def _infant_below(ages: tuple[tuple[float, float], ...], below: float, value: float,
                  years: Callable[[], float | None]) -> float:
    """A row's lower limit at the patient's age (`ages`: _INFANT_BELOW's), the row's own past them or where the note
    states no age. The age is asked only where it can matter: for a value under some infant's limit, not every's."""
    if not min(limit for _age, limit in ages) <= value < max(limit for _age, limit in ages):
        return below
    age = years()
    if age is None:
        return below
    return next((limit for until, limit in ages if age < until), below)


def _lab_number(value: str) -> float:
    """A laboratory value as written: with thousands separated ("45,000") or a decimal comma ("8,5")."""
    return float(value.replace(",", "") if _THOUSANDS.fullmatch(value) else value.replace(",", "."))


_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+")


def _unit_by_size(analyte: str, value: float) -> str | None:
    """The unit of a value written without one, where the analyte's usual units tell apart by its size; "?" where
    they do not ("TG 45": 45 mg/dL is normal, 45 mmol/L a severe hypertriglyceridemia); None: the default unit."""
    if analyte == "haemoglobin":
        return "g/dl" if value < 25 else "g/l"
    if analyte == "albumin":
        return "g/dl" if value < 10 else "g/l"
    if analyte in ("platelets", "wcc") and value >= 2000:
        return "/ul"  # "Plt 45000": per microlitre (no count reaches 2,000 x10^9/L)
    if analyte == "triglycerides":
        return "mmol/l" if value < 20 else "mg/dl" if value >= 100 else "?"
    return None


# CSF values against the CSF's reference limits ("CSF WCC 45/mm3", "CSF showed 45 white cells/uL", "45 leukocytes/µL
# in CSF", "CSF protein 1.2 g/L", "CSF glucose 1.5 mmol/L", "CSF/blood glucose ratio 0.3"): the blood's rows
# (_LAB_LIMITS) never read a value after a CSF word. Limits past the neonatal period: white cells above 5/µL are
# CSF pleocytosis, 0-5 normal at every age; protein above 0.45 g/L raised, 0.15-0.40 g/L neither raised nor low;
# glucose below 2.2 mmol/L (40 mg/dL), or below half the blood's, Hypoglycorrhachia, at or above both not. A
# newborn's limits are higher (white cells up to about 30/µL, Sarff 1976; protein up to 1.2 g/L and more in the
# first months) and its glucose ratio lower: where the CSF statement's sentence, else the note, says the patient is
# under a year old (under 3 months for the cells) or names a newborn near the value, the cells are read only past
# 32/µL and the protein and glucose not at all.
CSF_PLEOCYTOSIS, CSF_PROTEIN_RAISED, CSF_PROTEIN_LOW, HYPOGLYCORRHACHIA = (
    "HP:0012229", "HP:0002922", "HP:0025457", "HP:0011972")
_CSF_CELLS_ABOVE, _CSF_CELLS_NEWBORN_ABOVE, _CSF_CELLS_NORMAL = 5.0, 32.0, 5.0
_CSF_PROTEIN_ABOVE, _CSF_PROTEIN_NORMAL = 0.45, (0.15, 0.40)  # g/L
_CSF_GLUCOSE_BELOW, _CSF_GLUCOSE_RATIO_BELOW = 2.2, 0.5  # mmol/L
_CSF_CELLS_YOUNG, _CSF_YOUNG = 0.25, 1.0  # years: below these the newborn's and infant's limits apply
_CSF_RE = re.compile(r"\b(?:CSF|cerebrospinal\s+fluid)\b", re.IGNORECASE)
_CSF_KEYS = ("CSF", "csf", "erebrospinal")
_CELL_NAMES = (r"(?:white\s+(?:blood\s+)?cells?(?:\s+count)?|white\s+cell\s+count|WCC|WBCs?|leu[ck]ocytes?(?:\s+count)?"
               r"|leu[ck]ocyte\s+count|cell\s+count)")
_PER_UL = r"(?:/\s*(?:[µuμ]l|mm3|mm\^3|mm³|cmm)|\s*[x×]\s*10\^?6\s*/\s*l)"
_CSF_VALUE = r"(?P<rel>[<>≤≥])?\s*(?P<value>\d+(?:[.,]\d+)?)(?!\s*%)"
# In a CSF statement's clause: "WCC 45/mm3", "protein 1.2 g/L", "45 white cells/uL", "glucose 1.5"; a value of the
# blood in it ("plasma glucose 6.1") is the blood's (kept for the ratio).
_CSF_ITEM_RE = re.compile(
    r"(?:(?P<sample>blood|plasma|serum|capillary)\s+)?(?:(?P<name>" + _CELL_NAMES + r"|(?:total\s+)?protein|glucose)"
    r"(?:\s+(?:was|were|is|are|of|at|count))*\s*[:=]?\s*" + _CSF_VALUE
    + r"(?P<unit>\s*(?:g/l|mg/dl|mg/l|mmol/l|" + _PER_UL[3:-1] + r"|\s*cells?\s*" + _PER_UL + r"))?"
    r"|" + _CSF_VALUE.replace("rel", "rel2").replace("value", "value2") + r"\s*(?:" + _PER_UL + r"\s*)?"
    r"(?P<cells>" + _CELL_NAMES + r"|cells)(?:\s*" + _PER_UL + r")?)(?![\w/])",
    re.IGNORECASE,
)
_CSF_RATIO_RE = re.compile(r"\bglucose\s+(?:ratio|index)(?:\s+(?:was|is|of))*\s*[:=]?\s*(?P<rel>[<>])?\s*"
                           r"(?P<value>0?[.,]\d+|1(?:[.,]0+)?)(?![\d%])", re.IGNORECASE)
# a blood glucose or a CSF/blood glucose ratio, which a CSF glucose normal in itself may be low against
_PAIRED_GLUCOSE_RE = re.compile(r"\b(?:blood|plasma|serum|capillary)\s+glucose\b|\bglucose\s+(?:ratio|index)\b",
                                re.IGNORECASE)
_CLAUSE_END = re.compile(r"\.(?!\d)|[;\n]")  # (a full stop after a value ends it: "ratio 0.14. Episodes ...")
_NEWBORN_RE = re.compile(r"\b(?:neonat\w*|newborns?|new-born|preterm|premature|(?:\d+|one|two|three|four)[- ](?:day|week)s?"
                         r"[- ]old|days?\s+old|weeks?\s+old|day\s+\d+\s+of\s+life)\b", re.IGNORECASE)


# A CSF said not obtained ("CSF not sent", "CSF was not obtained", "no CSF obtained", "CSF could not be collected"):
# it has no values, so it names no clause for the values after it (they are the blood's).
_CSF_NOT_OBTAINED_AFTER = re.compile(
    r"(?:\s+[\w']+){0,4}?\s+(?:sent|obtained|obtainable|done|performed|taken|collected|available|examined"
    r"|analy[sz]ed)\b|\s+unobtainable\b", re.IGNORECASE)
_NEGATED_WORDS = re.compile(r"\b(?:not|never|cannot|unobtainable)\b|n't\b", re.IGNORECASE)
_NEGATION_BEFORE_CSF = re.compile(r"\b(?:no|not|never|without)\s+$", re.IGNORECASE)


def _csf_obtained(text: str, csf: re.Match) -> bool:
    """The CSF word `csf` is not said not obtained ("CSF not sent, glucose 1.8 mmol/L": the glucose is the blood's)."""
    after = _CSF_NOT_OBTAINED_AFTER.match(text, csf.end())
    if after is None:
        return True
    if _NEGATED_WORDS.search(text, csf.end(), after.end()):
        return False
    return _NEGATION_BEFORE_CSF.search(text, max(0, csf.start() - 12), csf.start()) is None  # "no CSF obtained"


def _in_a_csf_clause(text: str, pos: int) -> bool:
    """A CSF word comes before pos in its clause, and no blood sample right before pos ("CSF: protein 0.3 g/L,
    glucose 1.8 mmol/L", not "CSF protein 0.3 g/L, plasma glucose 5.1 mmol/L"); a CSF not obtained names none."""
    if not _any_in(text, _CSF_KEYS) or _word_before(text, pos).strip(":") in _BLOOD_SAMPLE_WORDS:
        return False
    return any(_csf_obtained(text, csf) for csf in _CSF_RE.finditer(text, _clause_start(text, pos), pos))


def _clause_start(text: str, pos: int) -> int:
    """Where the clause holding pos begins: after the last clause end within 160 characters before it."""
    reach = max(0, pos - 160)
    return max((m.end() for m in _CLAUSE_END.finditer(text, reach, pos)), default=reach)


_BLOOD_SAMPLE_WORDS = frozenset(("blood", "plasma", "serum", "capillary", "venous"))
# a specimen other than the CSF named between a CSF word and a value: the value is that specimen's
_OTHER_SPECIMENS = sorted((_OTHER_FLUIDS | _BLOOD_SAMPLE_WORDS | {"peripheral"}) - {"csf", "cerebrospinal", "fluid"})
_ANOTHER_SPECIMEN = re.compile(r"\b(?:" + "|".join(_OTHER_SPECIMENS) + r")\b", re.IGNORECASE)
_GLUCOSE_PER_MMOL = {"mmol/l": 1.0, "mg/dl": 18.0, "mg/l": 180.0, "g/l": 0.18}  # a glucose value's unit -> mmol/L


# An age stated in the CSF statement's own sentence is the age at the lumbar puncture ("at 3 weeks of age, CSF ...",
# "aged 10 days: CSF ...", "CSF in a 3-week-old"), which the note's age (the patient's now, patient_years) need not be.
_AGE_AT_RE = re.compile(
    r"\b(?:at\s+(?:the\s+)?age\s+(?:of\s+)?|aged?\s+)(?P<n>\d{1,3}(?:\.\d)?)\s*(?P<unit>" + AGE_UNITS + r")\b"
    r"|\bat\s+(?P<n2>\d{1,3}(?:\.\d)?)\s*(?P<unit2>" + AGE_UNITS + r")\s+(?:of\s+(?:age|life)|old)\b"
    r"|\b(?P<n3>\d{1,3})[\s-]*(?P<unit3>" + AGE_UNITS + r")[\s-]*old\b", re.IGNORECASE)
# words before "age" that make it no age of the patient ("gestational age 32 weeks", "bone age 2 years")
_NOT_THE_PATIENTS_AGE = frozenset(("gestational", "bone", "skeletal", "dental", "developmental", "mental", "corrected",
                                   "maternal", "paternal", "her", "his", "whose"))


def _a_relatives_age(text: str, age: re.Match, start: int) -> bool:
    """The age, after the CSF word (`start`), is a relative's, named right before it or, for "3-week-old", right
    after ("CSF ..., and his brother, aged 3 weeks, is well", "as in his sister at 2 months of age"). (A relative's
    age before the CSF word, "His brother, aged 3 weeks, had CSF ...", is of the relative's puncture: kept.)"""
    before = re.findall(r"[a-z]+", text[max(start, age.start() - 30) : age.start()].lower())[-3:]
    after = re.findall(r"[a-z]+", text[age.end() : age.end() + 20].lower())[:1] if age.group("n3") else []
    return any(w in _RELATIVES or w.removesuffix("s") in _RELATIVES for w in (*before, *after))


def _age_at_the_puncture(text: str, statement: tuple[int, int, int]) -> float | None:
    """The age in years stated in the CSF statement's sentence (`statement`: its start, its CSF word's start and its
    end), None where none is."""
    for m in _AGE_AT_RE.finditer(text, statement[0], statement[2]):
        if _word_before(text, m.start()) in _NOT_THE_PATIENTS_AGE or _a_relatives_age(text, m, statement[1]):
            continue
        number, unit = next((m.group(n), m.group(u)) for n, u in (("n", "unit"), ("n2", "unit2"), ("n3", "unit3"))
                            if m.group(n))
        age = age_in_years(parse_age(f"{number} {unit}"))
        if age is not None:
            return age
    return None


def _csf_youth(text: str, near: tuple[int, int], statement: tuple[int, int, int],
               years: Callable[[], float | None]) -> tuple[bool, bool]:
    """(young for a CSF cell count, young for CSF protein and glucose): the age stated in the CSF statement's
    sentence, else a newborn word near it, else the patient's age (read from the whole text, so only once a CSF value
    asks)."""
    age = _age_at_the_puncture(text, statement)
    newborn = age is None and _NEWBORN_RE.search(text[near[0] : near[1]]) is not None
    if age is None and not newborn:
        age = years()
    return newborn or (age is not None and age < _CSF_CELLS_YOUNG), newborn or (age is not None and age < _CSF_YOUNG)


def _csf_findings(text: str, years: Callable[[], float | None]) -> Iterator[tuple[int, int, str, bool]]:
    """(start, end, HPO ID, ruled out) of the CSF values of the text read against the CSF's limits (see above); the
    span runs from the CSF word to the value."""
    for csf in _CSF_RE.finditer(text):
        if not _csf_obtained(text, csf):
            continue  # "CSF not sent, glucose 1.8 mmol/L": no CSF values
        end = _CLAUSE_END.search(text, csf.end())
        after = (csf.end(), min(end.start() if end else len(text), csf.end() + 160))
        start = _clause_start(text, csf.start())
        clause = [after]
        if re.search(r"\bin\s+(?:the\s+)?$", text[start : csf.start()], re.IGNORECASE):
            clause.insert(0, (start, csf.start()))  # "45 leukocytes/uL in CSF"
        near = (max(0, csf.start() - 200), after[1] + 200)
        statement = (start, csf.start(), after[1])  # the CSF statement's sentence, to its clause's end
        ages: tuple[bool, bool] | None = None  # (young for cells, for protein and glucose): once a value asks
        csf_glucose: tuple[int, float, str | None] | None = None  # (its span's end, mmol/L, its bound's sign)
        blood_glucose: float | None = None
        for a, b in clause:
            for m in _CSF_ITEM_RE.finditer(text, a, b):
                name = (m.group("name") or m.group("cells")).lower()
                rel = {"≤": "<", "≥": ">"}.get(m.group("rel") or m.group("rel2") or "", m.group("rel") or m.group("rel2"))
                value = _lab_number(m.group("value") or m.group("value2"))
                unit = (m.group("unit") or "").lower().replace(" ", "")
                between = (csf.end(), m.start()) if m.start() >= csf.end() else (m.end(), csf.start())
                if not m.group("sample") and _ANOTHER_SPECIMEN.search(text, *between):
                    continue  # "CSF protein 0.3 g/L, urine protein 2 g/L": the urine's
                span = (min(csf.start(), m.start()), max(csf.end(), m.end()))
                if name.endswith("glucose"):
                    # glucose's 180 g/mol: 1 mmol/L is 18 mg/dL, 180 mg/L, 0.18 g/L
                    mmol = value / _GLUCOSE_PER_MMOL.get(unit, 18.0 if not unit and value >= 20 else 1.0)
                    if not unit and 15 <= value < 20:
                        continue  # mmol/L or mg/dL: cannot tell
                    if m.group("sample"):
                        blood_glucose = mmol
                    elif csf_glucose is None:
                        csf_glucose = (span[1], mmol, rel)
                        if rel != ">" and mmol < _CSF_GLUCOSE_BELOW and not (ages := ages or _csf_youth(text, near, statement, years))[1]:
                            yield span[0], span[1], HYPOGLYCORRHACHIA, False
                    continue
                if m.group("sample"):
                    continue  # the blood's
                if name.endswith("protein"):
                    if "mg/dl" in unit or (not unit and value >= 10):
                        value /= 100.0
                    elif "mg/l" in unit:
                        value /= 1000.0
                    elif not unit and value >= 5 or unit and unit not in ("g/l",):
                        continue
                    if (ages := ages or _csf_youth(text, near, statement, years))[1]:
                        continue
                    if value > _CSF_PROTEIN_ABOVE and rel != "<":
                        yield span[0], span[1], CSF_PROTEIN_RAISED, False
                    elif _CSF_PROTEIN_NORMAL[0] <= value <= _CSF_PROTEIN_NORMAL[1] and rel is None:
                        yield span[0], span[1], CSF_PROTEIN_RAISED, True
                        yield span[0], span[1], CSF_PROTEIN_LOW, True
                    continue
                if unit in _GLUCOSE_PER_MMOL:
                    continue  # "CSF WCC 45 g/L": a mass or amount per volume is no count (a count is per volume)
                above = _CSF_CELLS_NEWBORN_ABOVE if (ages := ages or _csf_youth(text, near, statement, years))[0] else _CSF_CELLS_ABOVE
                if value > above and rel != "<":
                    yield span[0], span[1], CSF_PLEOCYTOSIS, False
                elif value <= _CSF_CELLS_NORMAL and rel != ">":
                    yield span[0], span[1], CSF_PLEOCYTOSIS, True
        ratio = _CSF_RATIO_RE.search(text, after[0], after[1])
        if (ratio is None and csf_glucose is None) or (ages := ages or _csf_youth(text, near, statement, years))[1]:
            continue
        ratio_value = None if ratio is None else _lab_number(ratio.group("value"))
        if ratio is not None and ratio.group("rel") != ">":
            if ratio_value < _CSF_GLUCOSE_RATIO_BELOW:
                yield csf.start(), ratio.end(), HYPOGLYCORRHACHIA, False
                continue
        elif (csf_glucose is not None and blood_glucose and csf_glucose[1] >= _CSF_GLUCOSE_BELOW
              and csf_glucose[1] / blood_glucose < _CSF_GLUCOSE_RATIO_BELOW):
            yield csf.start(), csf_glucose[0], HYPOGLYCORRHACHIA, False
            continue
        # a CSF glucose normal in itself and against the blood's, where the note gives it or the ratio, rules
        # Hypoglycorrhachia out, as a normal protein or cell count rules out theirs; not where a blood glucose or
        # a ratio near it, outside its clause, was not read against it ("CSF glucose 3.0 mmol/L. Plasma glucose 8")
        if (csf_glucose is not None and csf_glucose[1] >= _CSF_GLUCOSE_BELOW and csf_glucose[2] != "<"
                and (ratio is None or (ratio_value >= _CSF_GLUCOSE_RATIO_BELOW and ratio.group("rel") != "<"))
                and (not blood_glucose or csf_glucose[1] / blood_glucose >= _CSF_GLUCOSE_RATIO_BELOW)
                and not any(_PAIRED_GLUCOSE_RE.search(text, a, b) for a, b in ((near[0], start), (after[1], near[1])))):
            yield csf.start(), csf_glucose[0], HYPOGLYCORRHACHIA, True


# Respiratory chain enzymology lists its complexes by numeral, sharing one verdict ("complex I, III and IV activities
# reduced", "reduced activities of complexes I and III", "complexes I-IV normal"): each numeral is its complex's
# finding, which the dictionary reads only where the name is whole ("complex IV deficiency"). Decreased activity of
# mitochondrial complex I-IV and ATP synthase (complex V).
RESPIRATORY_CHAIN = {1: "HP:0011923", 2: "HP:0008314", 3: "HP:0011924", 4: "HP:0008347", 5: "HP:0011925"}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5}
_COMPLEX_NUMERAL = r"(?:iv|v|i{1,3}|[1-5])\b"
_COMPLEX_VERDICT = r"(?:reduced|decreased|low|deficient|deficiency|deficiencies|normal)"
_COMPLEX_RE = re.compile(
    r"(?:\b(?P<before>reduced|decreased|low|normal)\s+(?:activit(?:y|ies)\s+of\s+(?:the\s+)?)?"
    r"|\b(?:(?P<lacking>deficiency|deficiencies)|activit(?:y|ies))\s+of\s+(?:the\s+)?)?"
    r"(?<!histocompatibility )\bcomplex(?:es)?\s+(?P<list>" + _COMPLEX_NUMERAL
    + r"(?:\s*(?:,|,?\s*and|&|\+|/|-|\u2013|to)\s*(?:complex\s+)?" + _COMPLEX_NUMERAL + r")*)"
    r"(?:\s+(?:enzyme\s+)?activit(?:y|ies))?"
    r"(?:(?:\s+(?:was|were|is|are))?(?:\s+(?:all|both|each|markedly|severely|mildly|significantly|also|partially))*"
    r"\s*,?\s*(?P<after>" + _COMPLEX_VERDICT + r"|within\s+(?:the\s+)?normal\s+(?:limits|range))\b)?",
    re.IGNORECASE,
)
_COMPLEX_NUMERALS = re.compile(r"(?P<one>" + _COMPLEX_NUMERAL + r")(?:\s*(?P<to>-|\u2013|to)\s*(?:complex\s+)?"
                               r"(?P<other>" + _COMPLEX_NUMERAL + r"))?", re.IGNORECASE)


def _complex_number(numeral: str) -> int:
    return int(numeral) if numeral.isdigit() else _ROMAN[numeral.lower()]


def _respiratory_chain(text: str) -> Iterator[tuple[int, int, str, bool]]:
    """The complexes a list of numerals names with its verdict (see RESPIRATORY_CHAIN): reduced or deficient is each
    complex's decreased activity, normal rules it out. A list without a verdict says nothing."""
    for m in _COMPLEX_RE.finditer(text):
        verdict = (m.group("after") or m.group("before") or m.group("lacking") or "").lower()
        if not verdict:
            continue
        normal = "normal" in verdict
        numbers: list[int] = []
        for n in _COMPLEX_NUMERALS.finditer(m.group("list")):
            first = _complex_number(n.group("one"))
            last = _complex_number(n.group("other")) if n.group("other") else first
            numbers += range(first, max(first, last) + 1) if n.group("to") else [first, last]
        for number in dict.fromkeys(numbers):
            yield m.start(), m.end(), RESPIRATORY_CHAIN[number], normal


# A lymphocyte subset's value with the laboratory's verdict ("CD4 T cells 15% of lymphocytes (low)", "CD19 B cells
# 2% (low)", "CD3 0.4 x10^9/L (low)"): the subset's finding, not the lymphocytes' (the percentage's "of lymphocytes" is
# its denominator). Subset limits vary with age and are given as a proportion or a count, so only a stated verdict is
# read: low is the subset's decrease (subset -> Decreased proportion of CD4-positive helper T cells, of CD8-positive
# T cells, T lymphocytopenia, B lymphocytopenia, Reduced natural killer cell count), normal rules it out and its
# abnormal count or proportion (as a cell population said normal does in the extractor: Abnormal proportion of
# CD4-positive, of CD8-positive T cells, Abnormal T cell count, B cell count, natural killer cell count).
LYMPHOCYTE_SUBSETS = {"cd4": ("HP:0005407", "HP:0031392"), "cd8": ("HP:0005415", "HP:0031393"),
                      "cd3": ("HP:0005403", "HP:0011839"), "b": ("HP:0010976", "HP:0010975"),
                      "nk": ("HP:0040218", "HP:0040089")}
_CELLS = r"(?:[\s-]*(?:positive|\+))?(?:\s+(?:helper\s+)?(?:T|B|NK)?[\s-]*(?:cells?|lymphocytes)|\s+counts?)?"
_SUBSET_RE = re.compile(
    r"(?<![\w+/-])(?:CD(?P<cd>4|8|3|19|20|16\s*/\s*56|56)\+?" + _CELLS
    + r"|(?<!memory\s)(?<!naive\s)(?<!switched\s)(?<!immature\s)(?<!zone\s)(?<!plasma\s)"
    r"(?P<cells>B|NK|natural\s+killer)[\s-]*(?:cells?|lymphocytes)(?:\s*\(\s*CD\d+(?:\s*/\s*\d+)?\+?\s*\))?)"
    r"(?:\s+(?:were|was|is|are|of|at))*\s*[:=]?\s*[<>]?\d+(?:\.\d+)?"
    r"(?:\s*(?:%|[x×]\s*10\^?[69]\s*/\s*l|cells\s*/\s*[µu]l|/\s*[µu]l|/mm3))?"
    r"(?:\s+of\s+(?:total\s+)?(?:lymphocytes|(?:CD\d+\+?\s+)?(?:T|B)[\s-]*cells))?"
    r"\s*(?:\(\s*(?P<verdict>low|reduced|decreased|normal)\s*\)|,\s*(?P<said>low|reduced|decreased)\b)",
    re.IGNORECASE,
)
_SUBSET_OF = {"4": "cd4", "8": "cd8", "3": "cd3", "19": "b", "20": "b", "56": "nk", "b": "b", "nk": "nk",
              "natural killer": "nk"}


def _lymphocyte_subsets(text: str) -> Iterator[tuple[int, int, str, bool]]:
    """The subsets that a value with its verdict names (see LYMPHOCYTE_SUBSETS)."""
    for m in _SUBSET_RE.finditer(text):
        key = re.sub(r"\s+", " ", (m.group("cd") or m.group("cells")).lower())
        subset = _SUBSET_OF.get(key, "nk" if "56" in key else None)
        if subset is not None:
            normal = (m.group("verdict") or "").lower() == "normal"
            for term in LYMPHOCYTE_SUBSETS[subset][: 1 + normal]:
                yield m.start(), m.end(), term, normal


# Blood pressure by its centile (children: AAP 2017, hypertension from the 95th, elevated from the 90th; below the
# 90th normal), or in mmHg at or past 160/100, hypertension at any age (stage 2 for adults, NICE 2019, and past the
# 95th centile + 12 mmHg of every child). "BP 128/84" with no centile says nothing: normal for an adult, high for a
# child of 5.
HYPERTENSION = "HP:0000822"
BP_HYPERTENSIVE_CENTILE, BP_NORMAL_CENTILE = 95.0, 90.0
BP_HYPERTENSIVE_SYSTOLIC, BP_HYPERTENSIVE_DIASTOLIC = 160, 100
_BP_RE = re.compile(
    r"\b(?:BP|blood\s+pressure)\b(?:\s+(?:was|is|of|measured|at))*\s*[:=]?\s*"
    r"(?:(?P<systolic>\d{2,3})\s*/\s*(?P<diastolic>\d{2,3})(?:\s*mm\s*Hg)?\b)?"
    r"(?:(?P<mid>[^.;:\n]{0,40}?)(?P<rel>above|over|greater\s+than|>|≥|below|under|less\s+than|<)?\s*(?:the\s+)?"
    r"(?P<centile>\d{1,2}(?:\.\d)?)(?:st|nd|rd|th)?\s*(?:centile|percentile|%ile))?",
    re.IGNORECASE,
)


# What makes a centile after a blood pressure another thing's: "BP 110/70 and height on the 2nd centile".
_NOT_BP_CENTILE = re.compile(r"\b(?:and|but|while|whereas|" + "|".join(sorted(map(re.escape, _QUANTITY), key=len,
                                                                                 reverse=True)) + r")\b", re.IGNORECASE)


def _blood_pressures(text: str) -> Iterator[tuple[int, int, str, bool]]:
    for m in _BP_RE.finditer(text):
        if m.group(0)[:2] == "bp":
            continue  # ("150 bp": base pairs)
        if m.group("centile") is not None and not _NOT_BP_CENTILE.search(m.group("mid")):
            centile, rel = float(m.group("centile")), (m.group("rel") or "").lower()
            if rel in ("below", "under", "less than", "<"):
                if centile <= BP_NORMAL_CENTILE:
                    yield m.start(), m.end(), HYPERTENSION, True
            elif centile >= BP_HYPERTENSIVE_CENTILE:
                yield m.start(), m.end(), HYPERTENSION, False
            elif centile < BP_NORMAL_CENTILE and not rel:
                yield m.start(), m.end(), HYPERTENSION, True
        elif m.group("systolic") is not None and (int(m.group("systolic")) >= BP_HYPERTENSIVE_SYSTOLIC
                                                  or int(m.group("diastolic")) >= BP_HYPERTENSIVE_DIASTOLIC):
            yield m.start(), m.end("diastolic"), HYPERTENSION, False


# Nuchal measurements of a fetal scan, in mm: nuchal translucency (11-13+6 weeks) of 3.5 mm or more is past the
# 99th centile at every crown-rump length, 2.0 mm or less below the 95th at every one (Fetal Medicine Foundation,
# Nicolaides 2004); a nuchal fold past 6 mm is thickened from 14 to 28 weeks, 5 mm or less normal (HPO's definition
# of the term). A unit is needed ("NT" is also "non-tender").
_NUCHAL = {"translucency": ("HP:0010880", 3.5, 2.0), "fold": ("HP:0000474", 6.0, 5.0)}  # term, from, normal up to
_NUCHAL_RE = re.compile(
    r"\b(?P<what>NT|nuchal\s+translucency|nuchal\s+(?:skin\s+)?fold)(?:\s+thickness)?(?:\s*\((?:NT|NF)\))?"
    r"(?:\s+(?:measurement|measured|was|is|of|at))*\s*[:=]?\s*(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>mm|cm)\b",
    re.IGNORECASE,
)


# "Increased NT on the dating scan", "NT was raised", "a normal NT": the nuchal translucency said raised or normal in
# words, read as "NT" only in a sentence about a pregnancy or a fetal scan (elsewhere it is "non-tender").
_NT_SAID_RE = re.compile(
    r"\b(?i:(?P<raised>increased|raised|high|thickened|enlarged)|(?P<normal>normal))\s+NT(?![-\u2010\w/])(?!\s*:?\s*\d)"
    r"|\bNT\s+(?i:(?:was|is|were|measurement\s+was)\s+(?P<not>not\s+)?)?"
    r"(?i:(?P<raised_after>increased|raised|high|thickened|enlarged)"
    r"|(?P<normal_after>normal))\b"
)
_PRENATAL_CONTEXT_RE = re.compile(
    r"\b(?:scans?|dating|weeks?|wks?|gestation(?:al)?|f(?:o)?etal|f(?:o)?etus|antenatal(?:ly)?|prenatal(?:ly)?|pregnancy|"
    r"CRL|ultrasound|USS|trimester|nuchal|NIPT|NIPS|amniocentesis|CVS|combined\s+(?:test|screening))\b|\b\d{1,2}(?:\+\d)?/40\b",
    re.IGNORECASE,
)


_SENTENCE_END_RE = re.compile(r"(?<!\d)\.(?!\d)|[;\n]")  # (not a decimal point; the same read backwards)


def _nuchal_measurements(text: str) -> Iterator[tuple[int, int, str, bool]]:
    if "NT" in text:
        for m in _NT_SAID_RE.finditer(text):
            start = next((e.end() for e in _SENTENCE_END_RE.finditer(text[: m.start()][::-1])), m.start())
            end = _SENTENCE_END_RE.search(text, m.end())
            if _PRENATAL_CONTEXT_RE.search(text, m.start() - start, end.start() if end else len(text)):
                raised = bool(m.group("raised") or m.group("raised_after")) and not m.group("not")
                yield m.start(), m.end(), _NUCHAL["translucency"][0], not raised
    for m in _NUCHAL_RE.finditer(text):
        what = m.group("what")
        if what.lower() == "nt" and what != "NT":
            continue
        term, thick, normal = _NUCHAL["fold" if what.lower().endswith("fold") else "translucency"]
        mm = float(m.group("value")) * (10.0 if m.group("unit").lower() == "cm" else 1.0)
        if mm >= thick:
            yield m.start(), m.end(), term, False
        elif mm <= normal:
            yield m.start(), m.end(), term, True


# milestone -> (HPO term, latest normal age in months)
MILESTONES = {
    "walk": ("HP:0031936", 18.0),  # Delayed ability to walk
    "sit": ("HP:0025336", 9.0),  # Delayed ability to sit
    "words": ("HP:0000750", 18.0),  # Delayed speech and language development
    "roll": ("HP:0032989", 6.0),  # Delayed ability to roll over
    "crawl": ("HP:0033128", 13.5),  # Delayed ability to crawl (WHO: hands-and-knees crawling by 13.5 months)
}
_MILESTONE = {
    "walked": "walk", "walking": "walk", "began to walk": "walk", "started to walk": "walk", "began walking": "walk",
    "started walking": "walk", "learned to walk": "walk", "sat": "sit", "sat unsupported": "sit",
    "sat independently": "sit", "first words": "words", "first word": "words", "rolled": "roll", "rolled over": "roll",
    "began to roll": "roll", "started to roll": "roll", "started rolling": "roll", "crawled": "crawl",
    "began to crawl": "crawl", "started to crawl": "crawl", "started crawling": "crawl",
}  # fmt: skip

# A quantity, then within the same clause a value in SD or centiles (no sentence end, ". " between them, and no
# other quantity: "height below the 1st centile (short stature), while her head circumference is on the 50th
# centile" gives the 50th centile to the head circumference, not to "stature").
_ANY_QUANTITY = "|".join(sorted(map(re.escape, _QUANTITY), key=len, reverse=True)) + "|(?-i:" + "|".join(_CASED_QUANTITY) + ")"
# A value in SD or centiles, and its side.
_GROWTH_VALUE = (
    r"(?:(?P<sign>[-−–+]|minus\s|plus\s)?\s*(?P<sd>\d+(?:[.,]\d+)?)\s*(?:SDS?|standard deviations?|s\.d\.)"
    r"(?P<dir>\s+(?:below|under|above|over)\b)?"
    r"|(?P<rel>below|under|less than|<|above|over|greater than|>)?\s*(?:the\s+)?(?P<centile>\d+(?:[.,]\d+)?)"
    r"\s*(?:st|nd|rd|th)?\s*(?:centile|percentile|%ile)s?)"
)
_GROWTH_RE = re.compile(
    r"\b(?P<what>" + _ANY_QUANTITY + r")\b"
    # quantities joined to it share its value: "height and weight were on the 50th centile"
    r"(?P<also>(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)(?:" + _ANY_QUANTITY + r")\b)*)"
    r"(?:\s*:)?"  # a label's colon: "Height: <2nd centile", "OFC: 0.4th centile"
    r"(?P<mid>(?:(?!\b(?:" + _ANY_QUANTITY + r")\b)(?:[^.;:\n]|\.(?=\d))){0,60}?)" + _GROWTH_VALUE,
    re.IGNORECASE,
)
# A height said as so tall, metric or imperial, then its value in centiles or SD: "5 ft 11 in tall (180 cm), above
# the 99th centile", "150 cm tall, below the 0.4th centile" (stature, though no quantity is named).
_SO_TALL_RE = re.compile(
    r"\b(?P<what>\d+(?:[.,]\d+)?\s*(?:cm|m|metres?|meters?|in|inches)|\d\s*(?:ft|feet|foot|')"
    r"(?:\s*\d{1,2}(?:\.\d+)?\s*(?:in|inches|\"|'')?)?)\s+tall\b"
    r"(?P<mid>(?:(?!\b(?:" + _ANY_QUANTITY + r")\b)(?:[^.;:\n]|\.(?=\d))){0,60}?)" + _GROWTH_VALUE,
    re.IGNORECASE,
)
# The next items of a list that gave its first value in centiles: "weight 2nd centile, height 9th, OFC 98th".
_LISTED_CENTILE_RE = re.compile(
    r"\s*[,;]\s*(?:and\s+)?(?P<what>" + _ANY_QUANTITY + r")\s*(?:(?:on|at)\s+the\s+|:\s*|=\s*)?"
    r"(?P<centile>\d+(?:[.,]\d+)?)(?:st|nd|rd|th)\b(?!\s*(?:centile|percentile|%ile))",
    re.IGNORECASE,
)
# A growth table's or a list's centile without the word: "weight: 98th", "Height | <3rd", "OFC >99.6th" - an ordinal
# right after the quantity's label (a colon, a bar or a TAB between; the measurement's cell may come first), the last
# thing in its cell or item ("weight on the 2nd" may be a date, "height 2nd visit" is no centile). With a space alone
# between ("OFC 98th"), only a comparison or a list that names its values centiles at its end says so ("height 2nd,
# weight 9th, OFC 0.4th centiles").
_LABELLED_CENTILE_RE = re.compile(
    r"\b(?P<what>" + _ANY_QUANTITY + r")\b(?P<mark>[ ]*[:|=\t][ \t]*)?[ ]*"
    r"(?:\d+(?:[.,]\d+)?[ \t]*(?:kg|g|cm|mm)[ \t]*[|\t,][ \t]*)?"  # the measurement's own cell: "Weight | 9.1 kg | 2nd"
    r"(?P<rel>below|under|less than|<|above|over|greater than|>)?[ \t]*(?:the\s+)?"
    r"(?P<centile>\d{1,2}(?:[.,]\d)?)(?:st|nd|rd|th)\b(?=[ \t]*(?:$|[,;|)\n\t]|\.(?!\d)))",
    re.IGNORECASE,
)
# A centile as US notes give it, a percentage in brackets right after the measurement: "Wt 11.2 kg (<3%)",
# "HC 45 cm (10%)" (a measurement first: "weight loss (10%)" is no centile).
_PERCENT_CENTILE_RE = re.compile(
    r"\b(?P<what>" + _ANY_QUANTITY + r")\b[ \t]*[:=]?[ \t]*(?:(?:is|was|of)[ \t]+)?\d+(?:[.,]\d+)?[ \t]*"
    r"(?:kg|g|cm|mm|lbs?|in)\b[ \t]*\([ \t]*(?P<rel>below|under|less than|<|above|over|greater than|>)?[ \t]*"
    r"(?P<centile>\d{1,2}(?:[.,]\d+)?)[ \t]*(?:st|nd|rd|th)?[ \t]*%[ \t]*\)",
    re.IGNORECASE,
)
_CENTILES_AFTER_RE = re.compile(r"(?:[^.;\n]|\.(?=\d)){0,80}?\b(?:centiles|percentiles)\b", re.IGNORECASE)
_QUANTITY_NAME_RE = re.compile(r"\b(?:" + _ANY_QUANTITY + r")\b", re.IGNORECASE)
# (not past another milestone: "sat at a normal age but walked late, at 22 months" is the walking's age)
_MILESTONE_RE = re.compile(
    r"\b(?P<what>" + "|".join(sorted(map(re.escape, _MILESTONE), key=len, reverse=True)) + r")\b"
    r"(?:(?!\b(?:walk|sat\b|sitting|crawl|roll|first\s+words?\b))[^.;:\n]){0,40}?\bat\s+(?:the\s+)?(?:age\s+(?:of\s+)?)?"
    r"(?P<age>\d+(?:[.,]\d+)?)"
    r"\s*(?P<unit>months?|mo|years?|yrs?|y)\b",
    re.IGNORECASE,
)

# A milestone table's row or a list's item, the age in its own cell: "| Walked independently | 24 months |", "Sat: 11
# months", "First words - 2 years". The age ends its cell ("Walking: 2 years ago", "... 2 years of physiotherapy"
# are no age it was reached at).
_MILESTONE_ROW = {**_MILESTONE, "sitting": "sit", "sitting unsupported": "sit", "sitting independently": "sit"}
_MILESTONE_ROW_RE = re.compile(
    r"\b(?P<what>" + "|".join(sorted(map(re.escape, _MILESTONE_ROW), key=len, reverse=True)) + r")"
    r"(?:[ \t]+(?:independently|unsupported|unaided|alone|without\s+support))?[ \t]*(?:[:|=\t\-\u2013\u2014])[ \t]*"
    r"(?:(?:at|by|aged?)[ \t]+)?(?:~[ \t]*|about[ \t]+|approx\.?[ \t]*)?(?P<age>\d+(?:[.,]\d+)?)[ \t]*"
    r"(?P<unit>months?|mths?|mo|years?|yrs?|y)\b(?=[ \t]*(?:$|[|\t;,)\n]|\.(?!\d)))",
    re.IGNORECASE | re.MULTILINE,
)
_MILESTONE_ROW_KEYS = ("walk", "Walk", "sat", "Sat", "SAT", "first word", "First word", "roll", "Roll", "sitting",
                       "Sitting")

# "did not walk until 26 months": the age the milestone was reached, after a "not ... until".
_NOT_UNTIL_RE = re.compile(
    r"\b(?:did\s+not|didn't|was\s+not|wasn't|not|never)\s+(?:(?:start|begin|learn)\s+(?:to\s+)?)?"
    r"(?P<what>walk|walking|sit|sitting|crawl|crawling)\b(?:[^.;:\n]){0,30}?\buntil\s+(?:the\s+)?(?:age\s+(?:of\s+)?)?"
    r"(?P<age>\d+(?:[.,]\d+)?)\s*(?P<unit>months?|mo|years?|yrs?|y)\b",
    re.IGNORECASE,
)
_NOT_UNTIL = {"walk": "walk", "walking": "walk", "sit": "sit", "sitting": "sit", "crawl": "crawl", "crawling": "crawl"}

# "not yet walking", "not walking at 20 months": a milestone not reached by an age, late once that age is past its
# latest normal one. The age is the one after it, else (with "yet" or "still": now) the patient's age as the note
# states it; with neither, or within the normal range, it says nothing. (Without "yet" or an age, "he is not
# walking" may be a walking lost.)
_NOT_YET_RE = re.compile(
    r"(?:(?P<still>\bstill\s+)?(?:\bnot|\bcannot|\bunable\s+to)|\b[a-z]+n't)\s+(?P<yet>yet\s+)?"
    r"(?P<what>walking|walk|sitting|sit|talking|talk|speaking)\b"
    r"(?!\s+(?:in|clearly|fluently|well|far)\b)"  # "not yet talking in sentences" at 2 years is no late first word
    r"(?:\s+(?:independently|unsupported|unaided|alone|without\s+support))?(?P<yet_after>\s+yet\b)?"
    r"(?:\s+(?:at|by)\s+(?:the\s+)?(?:age\s+(?:of\s+)?)?(?P<age>\d+(?:[.,]\d+)?)\s*(?P<unit>months?|mo|years?|yrs?|y)\b)?",
    re.IGNORECASE,
)
# A child who does not walk yet is late to walk, not unable to: "she doesn't walk yet", "cannot walk at 3 years", "a
# 2-year-old who cannot walk" (late once past 18 months). From this age (months) on, not walking is an inability;
# before it, the walking is still to come.
STILL_TO_WALK = 60.0
_NOT_YET = {"walking": "walk", "walk": "walk", "sitting": "sit", "sit": "sit", "talking": "words", "talk": "words",
            "speaking": "words"}

# "height is normal", "OFC within (or in) the normal range", "normal head circumference": both extremes ruled out.
_QUANTITY_WORDS = "|".join(sorted(map(re.escape, _QUANTITY), key=len, reverse=True))
# (the measurement may come between, its verdict after a comma: "OFC 53 cm, normal")
_NORMAL_GROWTH_RE = re.compile(
    r"\b(?:normal\s+(?P<before>" + _QUANTITY_WORDS + r")|(?P<after>" + _QUANTITY_WORDS + r")\s+"
    r"(?:\d+(?:\.\d+)?\s*(?:cm|mm|kg|g|m)\s*,\s*)?"
    r"(?:is|was|are|were|has\s+been|remains|remained)?\s*(?:entirely\s+|completely\s+)?"
    r"(?:normal|(?:with)?in\s+(?:the\s+)?normal\s+(?:range|limits)|age[- ]appropriate|appropriate\s+for\s+age))\b",
    re.IGNORECASE,
)
_GROWTH_KEYS = ("SD", "centile", "percentile", "%ile", "s.d.", "standard deviation", "Standard deviation")
_MILESTONE_KEYS = ("walk", "Walk", "sat ", "Sat ", "first word", "First word", "roll", "Roll")
_BODY_LENGTH = frozenset(("", "body", "birth", "his", "her", "the", "and", "with", "supine", "recumbent", "whose"))
# Heights that are not the child's: "mid-parental height", "target height", "predicted adult height".
_NOT_MEASURED = frozenset(("mid-parental", "midparental", "mid\u2011parental", "parental", "target", "predicted", "expected"))


# A normal result with an exception after it is not normal: "MRI brain was unremarkable apart from ...".
_NO_EXCEPT = r"(?!\s*,?\s*(?:apart|except|other\s+than|save|but|although|though|however|with|besides|aside|bar)\b)"

# What limits a statement of normal to a part of the body ("power is normal in the upper limbs", "in the right eye",
# "distally"): it says nothing of the rest. (text/extractor.py reads the same words.)
LIMITING_PARTS = frozenset((
    "upper", "lower", "left", "right", "one", "arm", "arms", "leg", "legs", "hand", "hands", "foot", "feet", "ankle",
    "ankles", "knee", "knees", "wrist", "wrists", "face", "trunk", "proximal", "distal", "eye", "ear", "finger",
    "fingers", "toe", "toes", "neck", "hip", "hips", "shoulders"))
_NOT_LIMITED = (r"(?!\s+(?:in|on|at)\s+(?:(?:the|his|her|their)\s+)?(?:" + "|".join(sorted(LIMITING_PARTS)) + r")\b"
                r"|\s*,?\s*(?:distally|proximally)\b)")

# A milestone reached when expected: "sat at a normal age", "walked on time" (see the milestone rows of _STATED_NORMAL).
_AT_A_NORMAL_AGE = r"(?:at\s+(?:a|the|an)\s+(?:normal|usual|expected|appropriate|age-appropriate)\s+age|on\s+time)\b"


def _said_normal(names: str, after_normal: str | None = None) -> re.Pattern:
    """A test or an examination said normal by name (regex alternatives): "<name> (is/was) normal", "<name>:
    unremarkable", "normal <name>" (`after_normal`: the names that may follow "normal", where they differ), not
    before an exception ("normal apart from ...")."""
    return re.compile(r"\b(?:(?:" + names + r")\s*:?\s+(?:(?:is|was|were|are)\s+)?(?:normal|unremarkable)|normal\s+(?:"
                      + (after_normal or names) + r"))\b" + _NO_EXCEPT, re.IGNORECASE)


# Examination findings stated normal in words, and what each rules out: (substrings every match holds, a tuple for
# alternatives of which one is held, pattern, terms).
_STATED_NORMAL = (
    (("ormocephal",), re.compile(r"\bnormocephal(?:ic|y)\b", re.IGNORECASE), ("HP:0000252", "HP:0000256")),
    # "normal muscle strength" as "normal power" (not a part's: "proximal muscle strength", "grip strength")
    ((("ower", "trength"),), re.compile(r"\b(?<!distal )(?<!proximal )(?<!distal muscle )(?<!proximal muscle )(?<!facial )"
                                     r"(?<!facial muscle )(?<!grip )(?:(?:full|normal) (?:muscle )?(?:power|strength)|"
                                     r"(?:muscle )?(?:power|strength) (?:was|is|were|remains|remained) (?:full|normal))\b"
                                     + _NOT_LIMITED, re.IGNORECASE), ("HP:0001324",)),  # Muscle weakness
    # ... said typical, on track or age-appropriate ("her development has been typical", "his development is entirely
    # on track"), not a body's ("pubertal development is age-appropriate")
    ((("ppropriate", "ypical", "on track"), "evelop"), re.compile(
        r"\b(?<!pubertal )(?<!sexual )(?<!breast )(?<!genital )(?<!dental )(?:development (?:is|was|has been|remains|"
        r"has remained|remained) (?:entirely |completely |fully )?(?:age[- ]appropriate|appropriate for (?:his |her |"
        r"their )?age|typical|on track)|(?:age[- ]appropriate|typical) development|developing typically)\b"
        r"(?!\s*,?\s*(?:until|till|initially)\b)",  # ("typical development until 2 years": not now)
        re.IGNORECASE), ("HP:0001263",)),  # Global developmental delay
    # "he sleeps well", "sleeping well": no Sleep abnormality (not "sleeps well with melatonin": treated)
    (("lee", "well"), re.compile(r"\b(?:sleeps|sleeping|slept) well\b(?!\s+(?:with|on|since|now|after)\b)",
                                 re.IGNORECASE), ("HP:0002360",)),
    (("ormally ",), re.compile(r"\b(?:ears?(?: (?:are|is|were|was|appear|appears|appeared|look|looks|looked)|:)? normally (?:set|positioned|placed|sited)"
                           r"|normally (?:set|positioned|placed|sited) ears?)\b", re.IGNORECASE), ("HP:0000369",)),  # Low-set ears
    (("alate", "intact"), re.compile(r"\b(?:palate\s*:?\s+(?:(?:is|was|appears|appeared)\s+)?intact|intact palate)\b",
                                     re.IGNORECASE), ("HP:0000175",)),  # Cleft palate
    (("ornea", "clear"), re.compile(r"\b(?:corneas? (?:is|are|was|were) clear|clear corneas?)\b", re.IGNORECASE),
     ("HP:0007957",)),  # Corneal opacity
    (("rowth", " normal"), re.compile(r"\b(?<!postnatal )(?<!head )growth (?:is|was|has been|remains|remained) normal\b",
                                    re.IGNORECASE), ("HP:0001510",)),  # Growth delay
    # growth in pregnancy is the fetus's: "growth in pregnancy was normal", "normal growth in pregnancy" (no IUGR)
    (("rowth", "regnancy"), re.compile(r"\b(?:normal\s+(?:fetal\s+)?growth\s+(?:in|during)\s+(?:the\s+)?pregnancy|"
                                      r"(?:fetal\s+)?growth\s+(?:in|during)\s+(?:the\s+)?pregnancy\s+(?:is|was|has\s+been)\s+"
                                      r"normal)\b", re.IGNORECASE), ("HP:0001511",)),  # Intrauterine growth retardation
    (("ostnatal growth", "ormal"), re.compile(r"\b(?:normal postnatal growth|postnatal growth (?:is|was|has been|remains|"
                                            r"remained) normal)\b", re.IGNORECASE), ("HP:0008897",)),  # Postnatal growth retardation
    # Normal head growth: not too little after birth (Secondary microcephaly, whose synonym is "Deceleration of head
    # growth"; HPO has no "abnormal head growth"). Not Microcephaly: a small head from birth that grows along its
    # centile has grown normally.
    (("ead growth", "ormal"), re.compile(r"\b(?:normal head growth|head growth (?:is|was|has been|has remained|remains|"
                                       r"remained) normal)\b", re.IGNORECASE), ("HP:0005484",)),
    (("yelination",), re.compile(r"\b(?:myelination (?:(?:is|was|appeared|appears|has been|remains|remained) )?(?:normal|appropriate|age[- ]appropriate)"
                              r"|(?:normal|age[- ]appropriate) myelination)\b", re.IGNORECASE),
     ("HP:0002188",)),  # Delayed CNS myelination
    (("trength", "istal"), re.compile(r"\bdistal (?:muscle )?strength (?:is|was|remains) (?:preserved|normal|full)\b",
                           re.IGNORECASE), ("HP:0002460",)),  # Distal muscle weakness
    (("trength", "roximal"), re.compile(r"\bproximal (?:muscle )?strength (?:is|was|remains) (?:preserved|normal|full)\b",
                           re.IGNORECASE), ("HP:0003701",)),  # Proximal muscle weakness
    (("acial", "strong"), re.compile(r"\bfacial muscles (?:are|were) strong\b", re.IGNORECASE),
     ("HP:0030319",)),  # Weakness of facial musculature
    (("earing", ("ormal", "nremarkable", "clear", "passed")), re.compile(r"\b(?:hearing\s+(?:tests?|testing|screen|screening|assessment|evaluation)\s+(?:(?:was|were|is|"
                             r"are)\s+)?(?:normal|unremarkable|clear|passed)|normal\s+hearing\s+(?:tests?|testing|screen|screening|"
                             r"assessment)|passed\s+(?:(?:the|his|her|a)\s+)?(?:newborn\s+)?hearing\s+(?:screen|screening|"
                             r"test))\b", re.IGNORECASE), ("HP:0000365",)),  # Hearing impairment
    (("earing", "intact"), re.compile(r"\bhearing\s+(?:(?:is|was|remains)\s+)?intact\b", re.IGNORECASE), ("HP:0000365",)),
    (("QT", "ormal"), re.compile(r"\b(?:QTc?(?:\s+interval)?\s*:?\s+(?:(?:was|is|were)\s+)?(?:normal|within\s+(?:the\s+)?normal\s+"
                        r"(?:range|limits))|normal\s+QTc?(?:\s+interval)?)\b", re.IGNORECASE), ("HP:0005184",)),  # Prolonged QTc
    (("enal function", ("ormal", "reserved")), re.compile(r"\b(?:renal\s+function\s*:?\s+(?:(?:is|was|has\s+been|remains)\s+)?(?:normal|preserved)"
                                   r"|normal\s+renal\s+function)\b" + _NO_EXCEPT, re.IGNORECASE),
     ("HP:0000083",)),  # Renal insufficiency
    (("peech", "ormal"), re.compile(r"\b(?:speech(?:\s+and\s+language)?\s+(?:developed|development\s+(?:was|is))\s+normal(?:ly)?"
                           r"|normal\s+speech(?:\s+and\s+language)?\s+development)\b", re.IGNORECASE),
     ("HP:0000750",)),  # Delayed speech and language development
    (("udio", ("ormal", "nremarkable")), re.compile(r"\b(?:(?:audiometry|audiogram|audiology|audiological\s+assessment)\s+(?:(?:was|were|is|are)\s+)?"
                          r"(?:normal|unremarkable)|normal\s+(?:audiometry|audiogram|audiology))\b", re.IGNORECASE),
     ("HP:0000365",)),
    (("etal movement",), re.compile(r"\b(?:(?:normal|good|active)\s+fo?etal\s+movements?|fo?etal\s+movements?\s+(?:(?:were|was|are)\s+)?"
                                   r"(?:felt\s+|reported\s+)?(?:normal(?:ly)?|good|active)(?:\s+throughout)?)\b",
                                   re.IGNORECASE), ("HP:0001558",)),  # Decreased fetal movement
    (("rain", ("ormal", "nremarkable"), ("MR", "CT", "maging")), re.compile(r"\b(?:(?:(?:MRI|MR|CT)\s+(?:scan\s+)?(?:of\s+(?:the\s+)?)?brain|(?:brain|cranial)\s+(?:MRI|MR|CT|imaging)"
                          r"(?:\s+scan)?)\s*:?\s+(?:(?:was|were|is|are|has\s+been)\s+)?(?:reported\s+(?:as\s+)?)?"
                          r"(?:entirely\s+|completely\s+)?(?:normal|unremarkable)|normal\s+(?:(?:MRI|MR|CT)\s+(?:of\s+(?:the\s+)?)?"
                          r"brain|(?:brain|cranial)\s+(?:MRI|MR|CT|imaging)))\b" + _NO_EXCEPT, re.IGNORECASE),
     ("HP:0410263",)),  # Brain imaging abnormality
    (("euroimaging", ("ormal", "nremarkable")), re.compile(r"\b(?:neuroimaging\s*:?\s+(?:(?:was|were|is|are|has\s+been)\s+)?(?:reported\s+(?:as\s+)?)?"
                                 r"(?:normal|unremarkable)|normal\s+neuroimaging)\b" + _NO_EXCEPT, re.IGNORECASE),
     ("HP:0410263",)),
    (("CSF protein", "ormal"), re.compile(r"\b(?:CSF\s+protein\s*:?\s+(?:(?:was|were|is|are)\s+)?(?:normal|within\s+(?:the\s+)?normal\s+"
                                 r"(?:range|limits))|normal\s+CSF\s+protein)\b", re.IGNORECASE),
     ("HP:0002922", "HP:0025457")),  # Increased, Decreased CSF protein concentration: neither
    (("escended",), re.compile(r"\b(?:(?:both\s+)?testes\s+(?:(?:are|were|both)\s+)*(?:descended|palpable\s+in\s+the\s+scrotum)"
                              r"(?:\s+bilaterally)?|(?:bilaterally\s+)?descended\s+testes)\b", re.IGNORECASE),
     ("HP:0000028",)),  # Cryptorchidism
    (("ystolic function", ("reserved", "ormal")), re.compile(
        r"\b(?:(?:(?:LV|left\s+ventricular)\s+)?systolic\s+function\s+(?:(?:is|was)\s+)?(?:preserved|normal)|normal\s+"
        r"(?:(?:LV|left\s+ventricular|biventricular)\s+)?systolic\s+function)\b", re.IGNORECASE), ("HP:0006673",)),
    (("acial", "strength"), re.compile(r"\b(?:facial (?:muscle )?strength (?:is|was) (?:preserved|normal)|normal facial "
                                       r"(?:muscle )?strength)\b", re.IGNORECASE), ("HP:0030319",)),
    # A renal ultrasound looks at the kidneys' form: a normal one rules out their abnormal morphology, not every
    # abnormality of the kidney (its function). (A normal echocardiogram reads nothing: the notes name the defects
    # it rules out, "echo normal - no ASD, no VSD")
    ((("enal", "idney"), ("ltraso", "USS"), ("ormal", "nremarkable")), re.compile(
        r"\b(?:normal\s+(?:renal|kidney)\s+(?:ultrasound|ultrasonography|USS)(?:\s+scan)?|(?:renal|kidney)\s+"
        r"(?:ultrasound|ultrasonography|USS)(?:\s+scan)?\s*:?\s+(?:(?:was|were|is|are|has\s+been)\s+)?"
        r"(?:entirely\s+|completely\s+)?(?:normal|unremarkable))\b" + _NO_EXCEPT, re.IGNORECASE),
     ("HP:0012210",)),  # Abnormal renal morphology
    # "echo structurally normal", "the heart is structurally normal", "echo: normal structural heart": the heart's form
    # said normal, as "a structurally normal heart" reads (Abnormal heart morphology); a plain "echo normal" reads
    # nothing (above)
    (("tructur", "ormal"), re.compile(
        r"\b(?:(?:heart|echo(?:cardiogram|cardiography)?)\s*:?\s+(?:(?:is|was|appeared|appears|showed|shows|"
        r"revealed|demonstrated)\s+)?(?:(?:a|the)\s+)?structurally\s+normal(?!\s+heart)|echo(?:cardiogram|cardiography)?"
        r"\s*:?\s+(?:(?:showed|shows|revealed|demonstrated)\s+)?(?:a\s+)?normal\s+structural\s+heart)\b" + _NO_EXCEPT,
        re.IGNORECASE), ("HP:0001627",)),
    # "anus patent", "Anus: normally placed and patent", "patent anus": the newborn examination's words for no
    # Anal atresia
    (("nus", "atent"), re.compile(
        r"\b(?:anus\s*:?\s+(?:(?:is|was)\s+)?(?:normally\s+(?:placed|sited|positioned)(?:\s*,\s*|\s+and\s+))?patent"
        r"|patent\s+anus)\b", re.IGNORECASE), ("HP:0002023",)),
    # Open sutures are what a skull X-ray or CT is read for when craniosynostosis is suspected.
    (("utures", "atent"), re.compile(r"\b(?:(?:cranial\s+)?sutures\s*:?\s+(?:(?:are|were|appear|appeared|remain|remained)\s+)?"
                                     r"(?:all\s+)?(?:widely\s+)?patent|patent\s+(?:cranial\s+)?sutures)\b", re.IGNORECASE),
     ("HP:0001363",)),  # Craniosynostosis
    # "afebrile", "apyrexial": the patient has no fever (not "afebrile seizures", which are seizures without one; not
    # "afebrile between episodes", what a periodic fever's patient is between its attacks)
    ((("febrile", "pyrexial"),), re.compile(r"\b(?:afebrile|apyrexial)\b(?!\s+(?:seizures?|convulsions?|fits?|"
                                          r"status|events?|episodes?|spells?|(?:in\s+)?between|apart|outside|except|"
                                          r"in\s+the\s+intervals?))", re.IGNORECASE),
     ("HP:0001945",)),  # Fever
    # "spine straight", "the spine is straight": an examination's word for no scoliosis (not "not straight")
    (("traight",), re.compile(r"\b(?:spine(?: (?:is|was|appears|appeared|looks|looked))?:? straight|straight spine)\b",
                              re.IGNORECASE), ("HP:0002650",)),  # Scoliosis
    # "weight gain satisfactory", "good weight gain", "gaining weight well": the child thrives (not Increased body
    # weight, which the dictionary reads in "weight gain"); "thriving", not "not thriving"
    (("eight",), re.compile(
        r"\b(?:(?:weight\s+gain|gaining\s+weight|weight\s+gained)\s+(?:(?:is|was|has\s+been|remains|remained)\s+)?"
        r"(?:satisfactory|good|adequate|appropriate|normal|steady|well|appropriately|normally|steadily)"
        r"|(?<!not )(?:good|satisfactory|adequate|normal|appropriate|steady)\s+weight\s+gain)\b", re.IGNORECASE),
     ("HP:0001508",)),  # Failure to thrive
    (("hriving",), re.compile(r"\b(?<!not )(?<!n't )(?<!non-)thriving\b", re.IGNORECASE), ("HP:0001508",)),
    # "normal bone age", "bone age appropriate for (chronological) age": neither delayed nor advanced
    (("one age",), re.compile(
        r"\b(?:bone\s+age\s*:?\s+(?:(?:is|was)\s+)?(?:normal|(?:age[- ])?appropriate(?:\s+for\s+(?:chronological\s+)?age)?|"
        r"(?:in\s+keeping|consistent|concordant)\s+with\s+(?:(?:his|her|their)\s+)?(?:chronological\s+)?age)|normal\s+bone\s+age)\b",
        re.IGNORECASE), ("HP:0002750", "HP:0005616")),  # Delayed, Advanced skeletal maturation
    # "TFTs normal", "thyroid function tests normal": the thyroid's function (as "thyroid function normal" reads)
    ((("TFT", "hyroid"), "ormal"), _said_normal(r"TFTs?|thyroid\s+function(?:\s+tests?)?",
                                                r"TFTs?|thyroid\s+function\s+tests?"), ("HP:0002926",)),
    # "full blood count normal", "FBC unremarkable": neither anaemia nor an abnormal platelet or white cell count
    ((("ount", "FBC", "CBC"), ("ormal", "nremarkable")),
     _said_normal(r"(?:full|complete)\s+blood\s+count|blood\s+count|FBC|CBC"), ("HP:0001903", "HP:0011873", "HP:0011893")),
    # "plantars flexor", "downgoing plantar responses": the examiner's words for no Babinski sign
    (("lantar", ("lexor", "owngoing", "own-going")), re.compile(
        r"\b(?:plantars?(?:\s+(?:responses?|reflex(?:es)?))?\s*:?\s+(?:(?:were|was|are|is)\s+)?(?:flexor|downgoing|"
        r"down-going)|(?:flexor|downgoing|down-going)\s+plantars?)\b", re.IGNORECASE), ("HP:0003487",)),  # Babinski sign
    # The examination's shorthand for its normal findings, each the abnormality the examiner looked for:
    # "fundoscopy normal" (Abnormal fundus morphology; "fundi normal" reads so already)
    ((("undoscop", "unduscop", "phthalmoscop", "undal"), ("ormal", "nremarkable")),
     _said_normal(r"fundoscopy|funduscopy|ophthalmoscopy|fundal\s+examination"), ("HP:0001098",)),
    # "pupils equal and reactive (to light)": neither Anisocoria nor an Abnormal pupillary light reflex
    (("upil", "qual", "eactive"), re.compile(
        r"\bpupils\s*:?\s+(?:(?:are|were)\s+)?equal(?:\s*,\s*|\s+and\s+|\s+)(?:round(?:\s*,\s*|\s+and\s+|\s+))?"
        r"(?:reactive|responsive)\b" + _NO_EXCEPT, re.IGNORECASE), ("HP:0009916", "HP:0007695")),
    # "HS I+II+0": the first and second heart sounds and nothing added, no Heart murmur
    (("+0",), re.compile(r"\b(?:HS|heart\s+sounds)\s*:?\s*(?:I|1)\s*\+\s*(?:II|2)\s*\+\s*0(?!\d)", re.IGNORECASE),
     ("HP:0030148",)),
    # a milestone reached at a normal age or on time ("sat at a normal age but walked late": sitting, not walking;
    # "sitting was at the usual age"): no delay of it
    ((("sat", "Sat", "itting"), ("ormal age", "sual age", "xpected age", "on time")), re.compile(
        r"\b(?:sat|sitting)(?:\s+(?:unsupported|independently|unaided|alone))?\s+(?:was\s+)?"
        + _AT_A_NORMAL_AGE, re.IGNORECASE), ("HP:0025336",)),  # Delayed ability to sit
    ((("alk",), ("ormal age", "sual age", "xpected age", "on time")), re.compile(
        r"\b(?:walked|walking|(?:began|started|learned|learnt)\s+to\s+walk|(?:began|started)\s+walking)"
        r"(?:\s+(?:independently|unsupported|unaided|alone))?\s+(?:was\s+)?" + _AT_A_NORMAL_AGE, re.IGNORECASE),
     ("HP:0031936",)),  # Delayed ability to walk
    # speech reached on time: "speech and language on time", "first words at a normal age", "talked on time"
    ((("peech", "anguage", "alk", "ord"), ("ormal age", "sual age", "xpected age", "on time")), re.compile(
        r"\b(?:speech(?:\s+and\s+language)?(?:\s+development)?|language(?:\s+development)?|talking|talked|"
        r"(?:began|started|learned|learnt)\s+to\s+talk|first\s+words?)\s+(?:(?:was|were|came|developed)\s+)?"
        + _AT_A_NORMAL_AGE, re.IGNORECASE), ("HP:0000750",)),  # Delayed speech and language development
    # "genitalia normal", "normal genitalia": the external genitalia the examiner saw (not the male or female
    # genitalia's own terms, which "normal male genitalia" reads)
    (("enitalia", "ormal"), re.compile(
        r"\b(?:(?<!male )(?<!female )genitalia\s*:?\s+(?:(?:are|were|was|is|appear|appeared)\s+)?normal"
        r"|normal\s+genitalia)\b" + _NO_EXCEPT, re.IGNORECASE), ("HP:0000811",)),
)


# The words of which every match of _STATED_NORMAL's pattern (in the same order) holds one as a whole word: in ASCII
# text without apostrophes a pattern none of whose words is among the text's is not tried (see measured_findings).
_STATED_NORMAL_WORDS = tuple(frozenset(map(word_form, words)) for words in (
    ("normocephalic", "normocephaly"), ("power", "strength"), ("development", "developing"),
    ("sleeps", "sleeping", "slept"), ("normally",), ("palate",),
    ("cornea", "corneas"), ("growth",), ("pregnancy",), ("postnatal",), ("growth",), ("myelination",), ("distal",), ("proximal",), ("facial",), ("hearing",),
    ("hearing",), ("qt", "qtc"), ("renal",), ("speech",), ("audiometry", "audiogram", "audiology", "audiological"),
    ("fetal", "foetal"), ("brain", "cranial"), ("neuroimaging",), ("csf",), ("testes",), ("systolic",), ("facial",),
    ("renal", "kidney"), ("structurally", "structural"), ("anus",), ("sutures",), ("afebrile", "apyrexial"), ("spine",),
    ("weight",), ("thriving",), ("bone",), ("tft", "tfts", "thyroid"), ("count", "fbc", "cbc"), ("plantar", "plantars"),
    ("fundoscopy", "funduscopy", "ophthalmoscopy", "fundal"), ("pupils",), ("hs", "heart"), ("sat", "sitting"),
    ("walked", "walking", "walk"), ("speech", "language", "talking", "talked", "talk", "words", "word"), ("genitalia",),
))
assert len(_STATED_NORMAL_WORDS) == len(_STATED_NORMAL)
# Statements of normal negated in words, each the abnormality it names, present (extractor._as_negated reads those
# the phrase rules read: "hearing was not normal"): a failed hearing screen or test is a Hearing abnormality (the
# test's failure does not say which impairment). (substrings every match holds, pattern, term)
_NOT_NORMAL = (
    (("earing", ("not", "n't", "ailed")), re.compile(
        r"\b(?:hearing\s+(?:tests?|testing|screen|screening|assessment|evaluation)\s+(?:was|were|is|are)\s+not\s+normal"
        r"|(?:(?:did\s+not|didn't|does\s+not|doesn't|failed\s+to)\s+pass|failed)\s+(?:(?:the|his|her|a|their)\s+)?"
        r"(?:newborn\s+)?hearing\s+(?:screen|screening|test))\b", re.IGNORECASE), "HP:0000364"),  # Hearing abnormality
    (("peech", "develop normally"), re.compile(
        r"\bspeech(?:\s+and\s+language)?\s+(?:did\s+not|didn't|has\s+not|hasn't)\s+develop(?:ed)?\s+normally\b",
        re.IGNORECASE), SPEECH_DELAY),
    (("evelopment", "ppropriate"), re.compile(
        r"\bdevelopment\s+(?:(?:is|was|remains)\s+not|has\s+not\s+been|isn't|wasn't|hasn't\s+been)\s+(?:age[- ]appropriate"
        r"|appropriate\s+for\s+(?:his\s+|her\s+|their\s+)?age)\b", re.IGNORECASE), "HP:0001263"),  # GDD
)
_NOT_NORMAL_WORDS = tuple(frozenset(map(word_form, words)) for words in (("hearing",), ("speech",), ("development",)))
assert len(_NOT_NORMAL_WORDS) == len(_NOT_NORMAL)


def _by_word(needed: tuple[frozenset[str], ...]) -> dict[str, tuple[int, ...]]:
    """word -> the positions of the entries that need it (needed: each entry's words, as _STATED_NORMAL_WORDS)."""
    out: dict[str, list[int]] = {}
    for k, words in enumerate(needed):
        for w in words:
            out.setdefault(w, []).append(k)
    return {w: tuple(ks) for w, ks in out.items()}


def _entries_with_words(entries: tuple, by_word: dict[str, tuple[int, ...]], present: Iterable[str]) -> list:
    """The entries (in their order) one of whose words is present: [e for e, needed in zip(entries, needed) if not
    needed.isdisjoint(present)], found from the few words of present that some entry needs, not entry by entry."""
    found = by_word.keys() & present
    if not found:
        return []
    return [entries[k] for k in sorted({k for w in found for k in by_word[w]})]


_STATED_NORMAL_BY_WORD = _by_word(_STATED_NORMAL_WORDS)
_NOT_NORMAL_BY_WORD = _by_word(_NOT_NORMAL_WORDS)
_FELT_BY_THE_MOTHER = ("HP:0001558",)  # fetal movements: the mother reports the patient's
# "his parents are normocephalic", "sisters normocephalic": the relatives' (the words that open context's relatives)
_RELATIVES = RELATIVE_FIRST_WORDS


def _fewest_keys(keys) -> tuple[str, ...]:
    """The keys that contain no other key: the text holds one of these exactly when it holds one of all."""
    return tuple(k for k in keys if not any(o != k and o in k for o in keys))


_GROWTH_TESTS = _fewest_keys(_GROWTH_KEYS)  # ("percentile" holds "centile")
_MILESTONE_TESTS = _fewest_keys(_MILESTONE_KEYS)
_QUANTITY_TESTS = _fewest_keys(sorted(QUANTITY_NAMES))  # ("body weight" holds "weight")


def _first_words(phrases: Iterable[str]) -> frozenset[str]:
    """The word forms (word_form) the phrases start with."""
    return frozenset(word_form(p.replace("-", " ").split()[0]) for p in phrases)


# The words each pattern's match holds as a whole word (a quantity, a milestone, "IQ").
_QUANTITY_WORDS = _first_words((*_QUANTITY, *_CASED_QUANTITY))  # _GROWTH_RE and _NORMAL_GROWTH_RE
_MILESTONE_WORDS = _first_words(_MILESTONE)
_MILESTONE_ROW_WORDS = _first_words(_MILESTONE_ROW)
_NOT_YET_WORDS = _first_words(_NOT_YET)
_NEGATIONS = frozenset(("not", "cannot", "unable"))
_IQ_WORDS = _first_words(("IQ", "FSIQ", "intelligence quotient"))
_LAB_WORDS = _first_words(n.rstrip("+") for n in _LAB_NAMES)  # _LAB_RE
_LOST_WORDS = _first_words(("lost", "losing", "loses", "lose", "dropped"))  # _WEIGHT_LOST_RE


# What a _NORMAL_GROWTH_RE match starts with, in lower case: "normal" or a quantity name's first word (or its start).
_NORMAL_GROWTH_STARTS = ("normal", *sorted({q.split()[0].split("-")[0] for q in _QUANTITY}))


def _prefixes(names: Iterable[str]) -> tuple[str, ...]:
    """The names in lower case, less those that begin with another (its offsets are found with the other's)."""
    lowered = {n.lower() for n in names}
    return tuple(sorted(n for n in lowered if not any(o != n and n.startswith(o) for o in lowered)))


# What a _GROWTH_RE, _LABELLED_CENTILE_RE or _PERCENT_CENTILE_RE match starts with, in lower case: a quantity's name
# (the cased ones lowered too); what a _MILESTONE_RE or _MILESTONE_ROW_RE match starts with: a milestone's words.
_QUANTITY_STARTS = _prefixes((*_QUANTITY, *_CASED_QUANTITY))
_MILESTONE_STARTS = _prefixes(_MILESTONE)
_MILESTONE_ROW_STARTS = _prefixes(_MILESTONE_ROW)


def _by_first_word(names: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """word form of a name's first word (as _first_words reads it) -> the names, lower case, that begin with it."""
    out: dict[str, set[str]] = {}
    for name in names:
        out.setdefault(word_form(name.replace("-", " ").split()[0]), set()).add(name.lower())
    return {w: tuple(sorted(found)) for w, found in out.items()}


def _starts_present(by_word: dict[str, tuple[str, ...]], present: Iterable[str]) -> tuple[str, ...]:
    """The names of by_word whose first word is among the text's words (present): in ASCII text without apostrophes
    a match that begins with a name has its first word as a whole word of the text (see measured_findings), so the
    others need not be looked for."""
    return tuple(sorted({name for w in by_word.keys() & present for name in by_word[w]}))


_QUANTITY_BY_WORD = _by_first_word((*_QUANTITY, *_CASED_QUANTITY))
_MILESTONE_BY_WORD = _by_first_word(_MILESTONE)
_MILESTONE_ROW_BY_WORD = _by_first_word(_MILESTONE_ROW)


def _starts_of(lowered: str, keys: tuple[str, ...]) -> list[int]:
    """Every offset of lowered where one of keys begins, ascending."""
    found = set()
    for key in keys:
        k = lowered.find(key)
        while k >= 0:
            found.add(k)
            k = lowered.find(key, k + 1)
    return sorted(found)


def _matches_from(pattern: re.Pattern, text: str, starts: list[int]) -> Iterator[re.Match]:
    """pattern.finditer(text) for a pattern whose matches can only begin at one of `starts` (ascending): the same
    matches, tried only there. The regex engine would try a search at every offset of the text, which costs ~0.1 ms
    a page; the starts are a few C-speed find()s. (A match's word boundary still sees the character before its start.)"""
    end = 0
    for start in starts:
        if start < end:
            continue
        m = pattern.match(text, start)
        if m is not None:
            yield m
            end = m.end()


def _quantity_matches(pattern: re.Pattern, text: str, starts: list[int] | None) -> Iterator[re.Match]:
    """pattern.finditer(text), tried only at `starts` (_QUANTITY_STARTS found in the lowered ASCII text) when given."""
    return pattern.finditer(text) if starts is None else _matches_from(pattern, text, starts)


def _start_matches(pattern: re.Pattern, text: str, ascii_lowered: str | None, keys: tuple[str, ...]) -> Iterator[re.Match]:
    """pattern.finditer(text) for a pattern whose every match begins with one of keys (lower case, ignoring case):
    in ASCII (ascii_lowered: the text lowered) tried only where one begins (_matches_from)."""
    if ascii_lowered is None:
        return pattern.finditer(text)
    return _matches_from(pattern, text, _starts_of(ascii_lowered, keys))


def _any_in(text: str, keys: tuple[str, ...]) -> bool:
    """any(k in text for k in keys), without the generator's cost."""
    for k in keys:  # noqa: SIM110 - a generator costs more than the tests it saves
        if k in text:
            return True
    return False


# An examination note's heading set off by a comma at the start of its line or sentence, one to three words, and
# what is said of it to the sentence's end in a few words ("Genitalia, normal.", "Pupils, equal and reactive."):
# read as the colon's heading (as the extractor reads "Hearing, normal."). The pattern's match must start at the
# heading: "Ambiguous genitalia, normal hearing" is a finding and another. (The heading's words before its comma,
# from the text's, line's or sentence's start or a bullet; what follows the comma.)
_COMMA_HEADING_RE = re.compile(r"(?:(?:^|\n)[ \t]*(?:[-*\u2022][ \t]+)?|[.;!?][ \t]+)"
                               r"([A-Za-z][\w+-]*(?:[ \t][A-Za-z][\w+-]*){0,2})$")
_SAID_TO_THE_END_RE = re.compile(r",[ \t]+[\w+-]+(?:(?:[ \t]+|,[ \t]*)[\w+-]+){0,5}[ \t]*(?:[.;\n]|$)")
_HEADING_REACH = 48  # characters a heading's words may take before its comma


def _comma_headings(text: str) -> dict[int, int]:
    """The comma headings of text: {the heading's start: its comma's offset} (found from the commas, few in a text,
    not by a search at every offset)."""
    out = {}
    comma = text.find(", ")
    while comma >= 0:
        if _SAID_TO_THE_END_RE.match(text, comma):
            m = _COMMA_HEADING_RE.search(text, max(0, comma - _HEADING_REACH), comma)
            if m is not None:
                out[m.start(1)] = comma
        comma = text.find(", ", comma + 2)
    return out


def _as_colon_headings(text: str, headings: dict[int, int]) -> str:
    """text with each comma heading's comma a colon (every offset kept)."""
    chars = list(text)
    for comma in headings.values():
        chars[comma] = ":"
    return "".join(chars)


def _holds(text: str, keys: tuple) -> bool:
    """Every key is in text (a key that is a tuple: one of its alternatives)."""
    for key in keys:
        if isinstance(key, tuple):
            if not _any_in(text, key):
                return False
        elif key not in text:
            return False
    return True


def _word_before(text: str, pos: int, k: int = 1) -> str:
    """The k-th word before pos (1: the one right before it)."""
    words = text[max(0, pos - 40) : pos].split()
    return words[-k].lower().strip("(,") if len(words) >= k else ""


# Words before "of normal height" that make it a person's stature ("a boy of normal height"); after a verb
# ("he is of normal height") the verb's subject decides.
_PERSONS = frozenset(("boy", "girl", "child", "man", "woman", "patient", "infant", "baby", "adult", "male", "female",
                      "toddler", "adolescent", "teenager", "individual", "person", "proband", "son", "daughter",
                      "he", "she", "they", "who", "boys", "girls", "children", "patients", "siblings", "brothers", "sisters"))
_BE_VERBS = frozenset(("is", "was", "are", "were", "be", "been", "remains", "remained", "appears", "appeared", "seems"))
# Words between a subject, its verb and "of normal height" that name neither ("he is now of ...", "they are both")
_BETWEEN = frozenset(("now", "still", "also", "otherwise", "both", "all", "then", "currently", "generally", "overall",
                      "has", "have", "had", "to", "not"))
# Parts that have a height of their own, named right before "normal height" in an examination's short statement
# ("Palate normal height, no cleft"): the part's height (High palate), not the patient's stature.
_PARTS_WITH_HEIGHT = frozenset(("palate", "forehead", "bridge", "hairline"))

# "<subject> is <predicate> and of normal height (length, width ...)": the earlier verb's subject is measured, across
# at most this many words of predicate, none of them one that begins another subject ("the philtrum is long and the
# lips are thin and of normal ...": the lips') or another predicate
PREDICATE_WORDS = 6
PREDICATE_ENDS = frozenset(("and", "or", "but", "the", "a", "an", "his", "her", "their", "its", "with", "of"))


def earlier_verb(words: Sequence[str], k: int, verbs: frozenset[str], apart: Callable[[int], bool] | None = None) -> int:
    """Word k is the "and" of "<subject> <verb> <predicate> and of normal <dimension>": the position of that earlier
    verb, whose subject is measured, or k where none is within PREDICATE_WORDS words of predicate (a word of
    PREDICATE_ENDS, or one `apart` says lies in another clause, comes first)."""
    for j in range(k - 1, max(k - 1 - PREDICATE_WORDS, -1), -1):
        if words[j] in PREDICATE_ENDS or (apart is not None and apart(j)):
            return k
        if words[j] in verbs:
            return j
    return k


def _part_of_normal_size(text: str, pos: int) -> bool:
    """A "normal <quantity>" at pos said with "of" of what is not a person: "forehead of normal height", "the nasal
    bridge is of normal height" measure that part. After a verb its subject decides: the patient's stature for a
    person word or pronoun, or with no subject in the clause ("Growth: is of normal height"), else the part's."""
    start = max(text.rfind(c, 0, pos) for c in ".;:\n") + 1  # the clause's start
    before = [w.lower().strip(",()") for w in text[max(start, pos - 80) : pos].split()]
    if before and before[-1] in _PARTS_WITH_HEIGHT:
        return True
    if not before and start and text[start - 1] == ":" and _word_before(text, start - 1) in _PARTS_WITH_HEIGHT:
        return True  # "Palate: normal height": the heading's part
    if len(before) < 2 or before[-1] != "of":
        return False
    k = len(before) - 2
    while k >= 0 and (before[k] in _BETWEEN or before[k].endswith("ly")):
        k -= 1
    if k >= 1 and before[k] == "and":  # "he is slim and of normal height": the earlier verb's subject decides
        k = earlier_verb(before, k, _BE_VERBS)  # (not across another subject: "the bridge is flat and she is ...")
    if k >= 0 and before[k] in _BE_VERBS:
        k -= 1
        while k >= 0 and before[k] in _BETWEEN:
            k -= 1
        if k < 0:
            return False  # no subject: the patient's
    return k >= 0 and before[k] not in _PERSONS


def _word_before_length(text: str, pos: int) -> str:
    """The word right before a "length", "" when it opens a list item or a line of its own ("Growth\n- Length
    71 cm", "Growth\nLength 71 cm"): a length of no bone or organ named before it is the child's. (A line wrapped
    inside a sentence goes on in lower case: "femur\nlength" is the femur's.)"""
    line = text[text.rfind("\n", 0, pos) + 1 : pos]
    if not any(c.isalpha() for c in line) and (line.strip() or text[pos].isupper()):
        return ""
    return _word_before(text, pos)


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _months(m: re.Match) -> float:
    """The age of a match's "age" and "unit" groups, in months."""
    return _number(m.group("age")) * (1.0 if m.group("unit").lower().startswith("m") else 12.0)


_BELOW = ("below", "under", "less than", "<")
_ABOVE = ("above", "over", "greater than", ">")


def _growth_value(m: re.Match) -> tuple[float, str, bool] | None:
    """(the value, "<", ">" or "" as it is compared, in SD) of a growth match; None when an SD's side is not stated
    ("2 SD")."""
    if m.group("sd") is not None:  # standard deviations
        sd = _number(m.group("sd"))
        sign = (m.group("sign") or "").strip().lower()
        direction = (m.group("dir") or "").strip().lower()
        if sign in ("-", "−", "–", "minus") or direction in ("below", "under"):
            sd = -sd
        elif not (sign in ("+", "plus") or direction in ("above", "over")):
            return None  # "2 SD" with no side: not said which
        return sd, "", True
    return _centile_value(m.group("centile"), m.group("rel"))


def _centile_value(centile: str, rel: str | None = None) -> tuple[float, str, bool]:
    rel = (rel or "").lower()
    return _number(centile), "<" if rel in _BELOW else ">" if rel in _ABOVE else "", False


def _listed_centiles(text: str, pos: int, read: list[tuple[int, int]]) -> Iterator[tuple[int, int, str, bool]]:
    """The next items of a list of centiles from pos on ("..., height 9th, OFC 98th"), each span added to read."""
    listed = _LISTED_CENTILE_RE.match(text, pos)
    while listed is not None:
        yield from _growth_findings(listed, [listed.group("what").lower()], _centile_value(listed.group("centile")))
        read.append((listed.start(), listed.end()))
        listed = _LISTED_CENTILE_RE.match(text, listed.end())


def _growth_findings(m: re.Match, measured: list[str], value: tuple[float, str, bool]) -> Iterator[tuple[int, int, str, bool]]:
    """What a growth value says of each quantity measured: its low or high finding, or what it rules out. A bound
    rules out only the other side ("below the 10th centile": not tall, perhaps short; "above the 2nd" says nothing)."""
    number, rel, in_sd = value
    for kind in dict.fromkeys(map(_quantity_kind, measured)):
        low, high = GROWTH[kind]
        low_centile, low_sd = _LOW_LIMITS.get(kind, (LOW_CENTILE, SD_CUTOFF))
        if in_sd:
            is_low, is_high = number <= -low_sd, number >= SD_CUTOFF
            not_low = not_high = not (is_low or is_high)
        elif rel == "<":
            is_low, is_high, not_low, not_high = number <= low_centile, False, False, number <= HIGH_CENTILE
        elif rel == ">":
            is_low, is_high, not_low, not_high = False, number >= HIGH_CENTILE, number >= low_centile, False
        else:
            is_low, is_high = number < low_centile, number > HIGH_CENTILE
            not_low = not_high = not (is_low or is_high)
        if is_low or is_high:
            severe = _SEVERE_LOW_SD.get(kind) if is_low and in_sd else None
            if severe is not None and number <= -severe[0]:
                low = severe[1]
            if is_low or high is not None:
                yield m.start("what"), m.end(), low if is_low else high, False
            continue
        if not_low:
            yield m.start("what"), m.end(), low, True
        if not_high and high is not None:
            yield m.start("what"), m.end(), high, True


def _quantity_kind(name: str) -> str:
    """The kind of quantity a matched name measures ("OFC": head, "EFW": fetal weight), in any case."""
    return _QUANTITY.get(name.lower()) or _CASED_QUANTITY[name.upper()]


def _not_reached(text: str, years: Callable[[], float | None], ascii_lowered: str | None = None,
                 keys: tuple[str, ...] | None = None) -> Iterator[tuple[re.Match, float | None, bool]]:
    """(match, age in months, a walking still to come) of each milestone said not reached: the age is the one after
    it, else, with "yet" or "still" (now), the patient's age as the note states it, as well as a walking child's
    under STILL_TO_WALK ("a 3-year-old who cannot walk"); else None, and the statement says nothing of a delay ("he
    is not walking" may be a walking lost). ascii_lowered: the text lowered, where it is ASCII, and keys: the words
    its matches may begin with (see _not_yet_matches)."""
    for m in _not_yet_matches(text, ascii_lowered, keys if keys is not None else _NOT_YET_STARTS):
        walk = _NOT_YET[m.group("what").lower()] == "walk"
        yet = bool(m.group("yet") or m.group("yet_after"))
        months: float | None = None
        if m.group("age") is not None:
            months = _months(m)
        elif yet or walk or m.group("still"):
            age = years()
            months = None if age is None else age * 12.0
            if not (yet or m.group("still") or months is not None and months < STILL_TO_WALK):
                months = None  # "he does not walk" at an older age, or none said: no delay said
        yield m, months, walk and (yet or months is not None and months < STILL_TO_WALK)


def _not_yet_matches(text: str, ascii_lowered: str | None, keys: tuple[str, ...]) -> Iterator[re.Match]:
    """_NOT_YET_RE.finditer(text), in ASCII tried only where a match may begin (_matches_from): at "still", "not",
    "cannot", "unable", or at the first letter of a word that ends in "n't" (its run of letters, as `\\b[a-z]+n't`
    begins only there)."""
    if ascii_lowered is None:
        return _NOT_YET_RE.finditer(text)
    starts = set(_starts_of(ascii_lowered, keys))
    k = ascii_lowered.find("n't")
    while k >= 0:
        first = k
        while first > 0 and "a" <= ascii_lowered[first - 1] <= "z":
            first -= 1
        starts.add(first)
        k = ascii_lowered.find("n't", k + 1)
    return _matches_from(_NOT_YET_RE, text, sorted(starts))


_NOT_YET_STARTS = ("still", "not", "cannot", "unable")  # the words a _NOT_YET_RE match may begin with ("n't" aside)
assert all(word_form(w) == w for w in _NOT_YET_STARTS)


def walking_to_come(text: str, years: Callable[[], float | None] | None = None) -> list[tuple[int, int]]:
    """(start, end) of each statement that a child does not walk yet: no inability to walk (see STILL_TO_WALK).
    `years`: the note's patient_years, where the caller has it."""
    return [(m.start(), m.end()) for m, _months, to_come in _not_reached(text, years or patient_years(text)) if to_come]


def measured_findings(text: str, words: Iterable[str] | None = None,
                      years: Callable[[], float | None] | None = None) -> Iterator[tuple[int, int, str, bool]]:
    """(start, end, HPO ID, ruled out) of growth and milestone findings stated as numbers or as normal.

    words: the word forms of the text (word_form of each word as normalise splits them, or the set of them), when the
    caller has them. years: the note's patient_years, where the caller has it.
    """
    years = years or patient_years(text)
    # Plain substring tests first: most texts state neither, and the patterns below cost far more to run.
    quantities = milestone_words = milestone_rows = so_tall = iq_words = not_until = not_yet = said_short = True
    lab_words = weight_lost = True
    stated_normal: Iterable[tuple] = _STATED_NORMAL
    not_normal: Iterable[tuple] = _NOT_NORMAL
    # the names a match of the patterns tried at their starts may begin with (see _start_matches)
    quantity_keys, milestone_keys, milestone_row_keys = _QUANTITY_STARTS, _MILESTONE_STARTS, _MILESTONE_ROW_STARTS
    not_yet_keys: tuple[str, ...] = _NOT_YET_STARTS
    if words is not None and text.isascii() and "'" not in text:
        # Cheaper still, the words: in ASCII text without apostrophes a pattern's match is made of whole words of the
        # text, so a pattern whose words (a quantity, a milestone, "IQ") are not among them cannot match.
        present = words if isinstance(words, (set, frozenset)) else set(words)  # (a caller's set as it is)
        quantities = not _QUANTITY_WORDS.isdisjoint(present)
        milestone_words = not _MILESTONE_WORDS.isdisjoint(present)
        milestone_rows = not _MILESTONE_ROW_WORDS.isdisjoint(present)
        so_tall = "tall" in present
        iq_words = not _IQ_WORDS.isdisjoint(present)
        not_until = "until" in present and not _NOT_UNTIL.keys().isdisjoint(present)
        not_yet = not _NEGATIONS.isdisjoint(present) and not _NOT_YET_WORDS.isdisjoint(present)
        said_short = "short" in present and not _SHORT_SUBJECTS.isdisjoint(present)
        lab_words = not _LAB_WORDS.isdisjoint(present)
        weight_lost = not _LOST_WORDS.isdisjoint(present)  # ("los" is in "loss", "close": most texts)
        stated_normal = _entries_with_words(_STATED_NORMAL, _STATED_NORMAL_BY_WORD, present)
        not_normal = _entries_with_words(_NOT_NORMAL, _NOT_NORMAL_BY_WORD, present)
        # only the names whose first word the text has are looked for (short ones, "ht", "ac", are inside many words)
        quantity_keys = _starts_present(_QUANTITY_BY_WORD, present) if quantities else ()
        milestone_keys = _starts_present(_MILESTONE_BY_WORD, present) if milestone_words else ()
        milestone_row_keys = _starts_present(_MILESTONE_ROW_BY_WORD, present) if milestone_rows else ()
        # (no "n't" without an apostrophe; the four words are their own word forms)
        not_yet_keys = tuple(w for w in _NOT_YET_STARTS if w in present) if not_yet else ()
    growth = quantities and _any_in(text, _GROWTH_TESTS)
    milestones = milestone_words and _any_in(text, _MILESTONE_TESTS)
    # The offsets where a quantity's name begins, where a match of the three patterns that start with one can begin:
    # in ASCII (lower() keeps every offset, and only ASCII letters match the patterns' ignoring case) each is tried
    # only there, not searched for at every offset of the text.
    ascii_lowered = text.lower() if text.isascii() else None
    quantity_starts = _starts_of(ascii_lowered, quantity_keys) if quantities and ascii_lowered is not None else None
    read: list[tuple[int, int]] = []  # the growth values read so far (a labelled centile inside one is read)
    for m in _quantity_matches(_GROWTH_RE, text, quantity_starts) if growth else ():
        what = m.group("what").lower()
        before = _word_before(text, m.start())
        if text[max(0, m.start() - 3) : m.start()].rstrip()[-1:] in (";", ":", "."):
            before = ""  # "...; length is now -2.6 SD": the quantity opens its clause
        if what == "length" and before not in _BODY_LENGTH and _word_before_length(text, m.start()) not in _BODY_LENGTH:
            continue  # "femur length": a bone, not the child
        if before in _NOT_MEASURED or (before == "adult" and _word_before(text, m.start(), 2) in _NOT_MEASURED):
            continue
        value = _growth_value(m)
        if value is None:
            continue
        measured = [what] + [q.lower() for q in _QUANTITY_NAME_RE.findall(m.group("also"))]
        yield from _growth_findings(m, measured, value)
        read.append((m.start(), m.end()))
        if m.group("centile") is not None:
            yield from _listed_centiles(text, m.end(), read)
    for m in _SO_TALL_RE.finditer(text) if so_tall and "tall" in text and _any_in(text, _GROWTH_TESTS) else ():
        value = _growth_value(m)
        if value is not None:
            yield from _growth_findings(m, ["height"], value)
            read.append((m.start(), m.end()))
    for m in _quantity_matches(_LABELLED_CENTILE_RE, text, quantity_starts) if quantities else ():
        what = m.group("what").lower()
        if (what == "length" and _word_before_length(text, m.start()) not in _BODY_LENGTH) or any(
                a <= m.start() < b for a, b in read) or not (
                m.group("mark") or m.group("rel") or _CENTILES_AFTER_RE.match(text, m.end())):
            continue
        yield from _growth_findings(m, [what], _centile_value(m.group("centile"), m.group("rel")))
        yield from _listed_centiles(text, m.end(), read)
    for m in _quantity_matches(_PERCENT_CENTILE_RE, text, quantity_starts) if quantities and "%" in text else ():
        if any(a <= m.start() < b for a, b in read) or (
                m.group("what").lower() == "length" and _word_before_length(text, m.start()) not in _BODY_LENGTH):
            continue
        yield from _growth_findings(m, [m.group("what").lower()], _centile_value(m.group("centile"), m.group("rel")))
    normal_growth = False
    lowered = ""
    if quantities and ("ormal" in text or "ppropriate" in text):
        lowered = ascii_lowered if ascii_lowered is not None else text.lower()  # the quantity names are lower case
        normal_growth = _any_in(lowered, _QUANTITY_TESTS)
    if not normal_growth:
        normal_matches: Iterable[re.Match] = ()
    elif text.isascii():  # (lower() keeps every offset, and only ASCII letters match the pattern's ignoring case)
        normal_matches = _matches_from(_NORMAL_GROWTH_RE, text, _starts_of(lowered, _NORMAL_GROWTH_STARTS))
    else:
        normal_matches = _NORMAL_GROWTH_RE.finditer(text)
    for m in normal_matches:
        what = (m.group("before") or m.group("after")).lower()
        if what == "length" and (m.group("before") or _word_before_length(text, m.start()) not in _BODY_LENGTH):
            continue
        if m.group("before") and _part_of_normal_size(text, m.start()):
            continue  # "forehead of normal height": the forehead's, not the patient's stature
        for term in GROWTH[_QUANTITY[what]]:
            if term is not None:
                yield m.start(), m.end(), term, True
    for m in _IQ_RE.finditer(text) if iq_words and ("IQ" in text or "intelligence quotient" in text) else ():
        iq = int(m.group("iq"))
        term = next((t for limit, t in IQ_BANDS if iq < limit), None)
        if term is not None:
            yield m.start(), m.end(), term, False
    for m in _FEW_WORDS_RE.finditer(text) if "words" in text else ():
        months = _months(m)
        if months > _FEW_WORDS_BY[m.group("what").split()[0].lower()]:
            yield m.start(), m.end(), SPEECH_DELAY, False
    for m in _SAID_SHORT_RE.finditer(text) if said_short and "short" in text else ():
        yield m.start(), m.end(), SHORT_STATURE, m.group("not") is not None
    for m in _WEIGHT_LOST_RE.finditer(text) if weight_lost and ("los" in text or "dropped" in text) else ():
        yield m.start(), m.end(), WEIGHT_LOSS, False
    for m in _REDUCED_POWER_RE.finditer(text) if "ower" in text and "ally" in text else ():
        limbs = m.group("limbs")
        yield m.start(), m.end(), _WEAKNESS_WHERE[m.group("where").lower(), limbs and limbs.lower()], False
    for m in _BEIGHTON_RE.finditer(text) if "eighton" in text else ():
        score = int(m.group("score"))
        if score >= BEIGHTON_HYPERMOBILE:
            yield m.start(), m.end(), JOINT_HYPERMOBILITY, False
        elif score <= BEIGHTON_NORMAL:
            yield m.start(), m.end(), JOINT_HYPERMOBILITY, True
    milestones_read: list[tuple[int, int]] = []  # ("not walking at 20 months" is not the age it was reached)
    for m, months, _to_come in _not_reached(text, years, ascii_lowered, not_yet_keys) if not_yet and "n" in text else ():
        milestones_read.append((m.start(), m.end()))
        term, latest = MILESTONES[_NOT_YET[m.group("what").lower()]]
        if months is not None and months > latest:
            yield m.start(), m.end(), term, False
    for m in _start_matches(_MILESTONE_RE, text, ascii_lowered, milestone_keys) if milestones else ():
        if any(a <= m.start() < b for a, b in milestones_read):
            continue
        milestones_read.append((m.start(), m.end()))
        term, latest = MILESTONES[_MILESTONE[m.group("what").lower()]]
        months = _months(m)
        yield m.start(), m.end(), term, months <= latest
    for m in (_start_matches(_MILESTONE_ROW_RE, text, ascii_lowered, milestone_row_keys)
              if milestone_rows and _any_in(text, _MILESTONE_ROW_KEYS) else ()):
        if not any(a <= m.start() < b for a, b in milestones_read):
            term, latest = MILESTONES[_MILESTONE_ROW[m.group("what").lower()]]
            yield m.start(), m.end(), term, _months(m) <= latest
    for m in _NOT_UNTIL_RE.finditer(text) if not_until and "until" in text else ():
        term, latest = MILESTONES[_NOT_UNTIL[m.group("what").lower()]]
        months = _months(m)
        yield m.start(), m.end(), term, months <= latest
    if lab_words and _any_in(text, _LAB_KEYS) and _DIGIT.search(text):
        yield from _lab_findings(text, years)
    if _any_in(text, _CSF_KEYS) and _DIGIT.search(text):
        yield from _csf_findings(text, years)
    if "omplex" in text:
        yield from _respiratory_chain(text)
    if ("CD" in text or "cells" in text) and _DIGIT.search(text):
        yield from _lymphocyte_subsets(text)
    if ("BP" in text or "pressure" in text) and _DIGIT.search(text):
        yield from _blood_pressures(text)
    if "NT" in text or ("uchal" in text and "m" in text):  # (a value in mm, or "NT" said raised in words)
        yield from _nuchal_measurements(text)
    headings: dict[int, int] | None = None  # (found once a statement's keys hold: a search at each comma costs)
    headed = ""
    for keys, pattern, terms in stated_normal:
        if _holds(text, keys):
            if headings is None:
                headings = _comma_headings(text) if ", " in text else {}
                headed = _as_colon_headings(text, headings) if headings else ""
            matches = list(pattern.finditer(text))
            if headings:  # "Genitalia, normal.", "Palate, intact.": the comma heading read as the colon's, the
                # match starting at the heading (tried only there)
                matches += [m for start, comma in headings.items()
                            if (m := pattern.match(headed, start)) is not None and comma < m.end()]
            for m in matches:
                if terms != _FELT_BY_THE_MOTHER and {_word_before(text, m.start(), k) for k in (1, 2)} & _RELATIVES:
                    continue  # "parents (are) normocephalic": theirs (not "mother reports normal fetal movements")
                for term in terms:
                    yield m.start(), m.end(), term, True
    for keys, pattern, term in not_normal:
        if _holds(text, keys):
            for m in pattern.finditer(text):  # (a relative's: the extractor's context reads whose it is)
                yield m.start(), m.end(), term, False
