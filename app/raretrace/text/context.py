"""Who has a finding and whether it is asserted: negation, uncertainty and family attribution (NegEx-style).

Trigger phrases are matched on word forms, longest first; each kind has a scope in words within one sentence,
cut short by contrast words ("but", "whereas") and, for triggers before the finding, by a new verb phrase
("had", "showed"). A trigger inside the matched phrase never counts ("absence of the corpus callosum",
"normal interictal EEG" are findings). A negation opening a list negates every item, unless a later item opens
with an article and no "or" joins them ("no hearing loss, microcephaly and a VSD": only the hearing loss); one opening
a later item of a list stated present negates that item, or an "or" list it opens ("with hypotonia, no hearing loss,
microcephaly and ...": only the hearing loss)."""

from __future__ import annotations

from collections.abc import Container, Sequence
from dataclasses import dataclass

from .normalise import word_form

NEG_PRE = "neg_pre"  # "no", "denies", "without", "absence of", "negative for", "ruled out", "did not have"
NEG_POST = "neg_post"  # "... was ruled out", "... not observed", "... absent", "... within normal limits"
NEG_BOTH = "neg_both"  # "ruled out", "excluded": either side of the finding
NORMAL = "normal"  # "normal X": X is the negated finding only when right next to it
UNC_PRE = "unc_pre"  # "possible", "suspected", "suggestive of"
UNC_POST = "unc_post"  # "... is suspected", "... cannot be ruled out"
PSEUDO = "pseudo"  # looks like a trigger, is not: "not only", "no change", "cannot be ruled out" (handled as uncertainty)
FAMILY_PRE = "family_pre"  # "family history of"
FAMILY_POST = "family_post"  # "... in the family", "... runs in the family"
RELATIVE = "relative"  # mother, brother, ... (the finding is theirs when they are the subject)
PATIENT = "patient"  # patient, proband, he, she, the boy ...
CONTRAST = "contrast"  # but, however, whereas ... end every scope
VERB = "verb"  # had, showed, presented ... end the scope of a trigger before the finding

_PHRASES: dict[str, list[str]] = {
    NEG_PRE: [
        "no", "not", "without", "denies", "denied", "deny", "denying", "absence of", "negative for",
        "free of", "free from", "no evidence of", "no signs of", "no sign of", "no history of", "no symptoms of",
        "rules out", "never", "neither", "nor", "none",
        "did not have", "does not have", "do not have", "did not show", "does not show", "did not develop",
        "did not exhibit", "did not present with", "has no", "had no", "have no", "there is no", "there was no",
        "lack of", "lack", "lacks", "lacked", "lacking", "nil",  # "nil seizures" (UK/Australian notes)
        # of a cohort: "no patient had seizures" (the verb would otherwise end the scope)
        "no patient had", "no patients had", "no patient has", "no patients have", "no patient showed",
        "no patients showed", "no patient developed", "no patients developed", "none had", "none showed",
        # a verb right after the negation would otherwise end its scope ("has not had seizures")
        "not had", "never had", "not have", "never has", "not develop", "not developed", "never developed",
        "not experienced", "never experienced", "not show", "not shown", "not exhibit", "not exhibited",
        "not known to have", "not known to have had", "not known to suffer from", "no known",
        "never been diagnosed with", "not been diagnosed with", "never diagnosed with", "not diagnosed with",
        "not thought to have", "not felt to have", "not considered to have", "not believed to have",
        # a clinician's judgement of the patient, the verb's object between ("do not consider her to have CVI")
        "not consider her to have", "not consider him to have", "not consider them to have",
        "not think she has", "not think he has",
        "not appear to have", "not seem to have", "not appear to be", "not seem to be",  # (the verb would end it)
        # read whole, not as "was negative" (negating what precedes): "the patient was negative for seizures"
        "was negative for", "were negative for", "is negative for", "are negative for", "tested negative for",
        "rather than", "instead of",  # "ataxia rather than seizures"
        "excluding",  # "head growth has remained normal, excluding secondary microcephaly"
        "did not present", "does not present", "no presence of", "without presence of", "without the presence of",
        "no suggestion of", "without suggestion of", "without any suggestion of", "no hint of", "not a hint of",
        # read whole, not as "not seen" after a finding: "his parents have not seen any regression"
        "not seen any", "never seen any", "not observed any", "never observed any", "not witnessed any",
        "never witnessed any", "not noticed any", "never noticed any",
        # read whole, not as "not meet criteria" after a finding
        "not meet criteria for", "not meet the criteria for", "not meet diagnostic criteria for",
        "not meet the diagnostic criteria for", "not fulfil criteria for", "not fulfil the criteria for",
        "not fulfill criteria for", "not fulfill the criteria for",
    ],
    NEG_BOTH: ["ruled out", "excluded", "was ruled out", "were ruled out", "was excluded", "were excluded"],
    NEG_POST: [
        "has been ruled out", "have been ruled out", "not observed", "not seen", "not found", "not detected", "not present",
        "not noted", "not identified", "not evident", "not apparent", "not reported", "not demonstrated",
        "not obvious", "not clinically evident", "not clinically apparent", "not visible", "not appreciated",
        "absent", "was absent", "were absent", "within normal limits", "was negative", "were negative",
        "not a feature", "did not occur", "not occur", "not occurred", "not a concern", "not a problem", "not an issue",
        "not been reached", "not reached",  # "end-stage kidney disease has not been reached"
        "not evidenced", "not been evidenced",
        # the perfect tense puts "been" between: "seizures have not been observed"
        "not been observed", "not been seen", "not been found", "not been detected", "not been noted",
        "not been identified", "not been reported", "never been observed", "never been seen",
        "not been present", "never been present", "not been a feature", "never been a feature",
        "which he does not have", "which she does not have", "which he has not had", "which she has not had",
        "queried but not diagnosed", "queried but never diagnosed", "has been queried but not diagnosed",
        "was queried but not diagnosed", "been queried but not diagnosed",
        "not diagnosed", "not been diagnosed", "never diagnosed", "never been diagnosed",
        # an assessment that found the criteria unmet: "assessed for autism and does not meet criteria"
        "not meet criteria", "not meet the criteria", "not meet diagnostic criteria", "not meet the diagnostic criteria",
        "not fulfil criteria", "not fulfil the criteria", "not fulfill criteria", "not fulfill the criteria",
        # "hypotonia was present in neither him nor his brother", "seizures occurred in neither twin"
        "in neither", "in none of", "in none",
    ],
    NORMAL: ["normal", "normally"],
    UNC_PRE: [
        "possible", "possibly", "probable", "probably", "suspected", "suspect", "suspicion of",
        "thought to have", "previously thought to have", "initially thought to have", "originally thought to have",
        # a future or a subject of advice, not a finding: "she may develop scoliosis", "counselled about autism"
        # ("may develop" alone hedges what comes before it: "hypotonia may develop")
        "he may develop", "she may develop", "they may develop", "he might develop", "she might develop",
        "he could develop", "she could develop", "may later develop", "likely to develop",
        "at risk of developing", "counselled about", "counseled about", "counselled regarding", "counseled regarding",
        "counselling about", "counseling about", "counselling regarding", "counseling regarding",
        # what is known of a gene, a variant or a condition, not found in the patient
        "reported in patients with", "reported in individuals with", "described in patients with",
        "described in individuals with", "pathogenic for", "likely pathogenic for",
        "variants in this gene cause", "mutations in this gene cause", "variants in this gene are associated with",
        "features of the condition include", "features of this condition include", "features of the syndrome include",
        "features of this syndrome include", "the condition is characterised by", "the condition is characterized by",
        "suggestion of", "a suggestion of", "some suggestion of", "hint of", "a hint of",
        "suspicious for", "suggestive of", "suggesting", "questionable", "query", "likely", "unlikely",
        "may have", "might have", "could have", "may be", "might be", "rule out", "r o", "differential diagnosis",
        "concern for", "concerning for", "borderline", "equivocal", "presumed", "presumptive", "cannot exclude",
        "can not exclude", "cannot rule out", "can not rule out",
        # not a negation of the finding: "we could not exclude (that) ...", "this does not rule out ..." hedge it,
        # as "... could not be excluded" does after it ("not" alone would negate it); "can't", "couldn't" as
        # word_form writes them
        "not exclude", "not rule out", "cant exclude", "couldnt exclude", "cant rule out", "couldnt rule out",
        "evaluation for", "evaluated for", "at risk for", "at risk of", "risk of",
        "consider", "considered", "not sure about", "not sure of", "unsure about", "unsure of", "uncertain whether",
        "not sure whether", "not sure if", "unclear whether", "unclear if", "not clear whether", "not clear if",
        # a question asked, not answered: "query whether she has a cleft palate", "parents wonder whether he has ADHD"
        "query whether", "queried whether", "question whether", "questioned whether", "wonder whether",
        "wonders whether", "wondered whether", "wondering whether", "wonder if", "wonders if", "wondered if",
        "wondering if",
        # not looked for: the finding's status is unknown, not negative ("he was not tested for hearing loss")
        "not tested for", "not screened for", "not examined for", "not evaluated for", "not assessed for",
        "not investigated for", "not checked for", "never tested for", "never screened for",
        "not undergo testing for", "not undergo screening for", "not have testing for", "not been tested for",
        # hypothetical or planned: looked for, not found ("if seizures develop", "screen for scoliosis")
        "if", "screen for", "screening for", "screened for", "monitor for", "monitoring for", "monitored for",
        "look for", "looking for", "to look for", "to exclude", "surveillance for", "surveillance of",
        "exclude",  # an order or a plan ("Exclude hypothyroidism."); what was excluded is "excluded"
        "evaluate for", "assess for", "assessment for", "watch for", "watching for", "unconfirmed reports of",
        "unconfirmed report of",  # (a parent "concerned about his speech delay" reports it: not here)
        "differential includes", "differential include", "differentials include", "differential diagnosis includes",
        "differential diagnoses include", "differential diagnoses includes", "ddx includes", "ddx include", "dd includes",
        "dd include",
    ],
    UNC_POST: [
        "is suspected", "was suspected", "were suspected", "are suspected", "not confirmed", "unconfirmed",
        "has been queried", "have been queried", "was queried", "were queried", "is queried", "queried but not confirmed",
        "cannot be ruled out", "can not be ruled out",
        "could not be ruled out", "not ruled out", "not be ruled out", "cannot be excluded", "could not be excluded",
        "not excluded", "is possible", "was possible", "is likely", "was likely", "is questionable",
        "was questionable", "is unlikely", "was unlikely", "seems unlikely", "seemed unlikely",
        "considered unlikely", "thought unlikely", "deemed unlikely", "thought to be unlikely",
        "is probable", "was probable", "thought to be present",
        # of several findings: "ptosis and hypotonia are possible"
        "are possible", "were possible", "are likely", "were likely", "are probable", "were probable",
        "are questionable", "were questionable", "are unlikely", "were unlikely",
        "is a possibility", "was a possibility",
        "queried",  # "autism queried by school"
        "may develop", "might develop", "could develop",
        "should be monitored", "to be monitored", "cannot be assessed", "cannot be evaluated",
        # not looked for, after the finding: "intellectual disability could not be assessed"
        "not be assessed", "not be evaluated", "not assessed", "not evaluated", "not been assessed",
        "not been evaluated",
        # not written down is not absent: "seizures were not documented" leaves their status unknown
        "not documented", "not been documented", "never documented", "never been documented", "not recorded",
        "not been recorded",
        # read whole, not as "not" (negating what follows) and "excluded" (negating what precedes)
        "can not be excluded", "not be excluded", "not been excluded", "not been ruled out",
        "surveillance",  # "Wilms tumour surveillance"
        # still to be done, a plan: "a submucous cleft needs to be ruled out", "hypothyroidism should be excluded"
        "to be ruled out", "to be excluded", "should be ruled out", "should be excluded", "must be ruled out",
        "must be excluded",
    ],
    PSEUDO: [
        "not only", "no change", "no changes", "no significant change", "no increase", "no decrease",
        "not necessarily", "no further", "not certain", "not clear", "not sure",
        # no more of what the patient has had: "no more seizures", "no recurrence of seizures"
        "no more", "no recurrence of", "no recurrences of", "no new",
        # a course, not an absence: "no improvement in his seizures", "no progression of the ataxia"
        "no improvement", "no significant improvement", "no response", "no reduction", "no worsening",
        "no progression", "no deterioration", "no benefit", "no resolution", "no effect",
        # the treatment is what is absent: "he takes no medication for seizures"
        "no medication", "no medications", "no treatment", "no therapy", "no medicines", "no surgery",
        "gram negative", "without difficulty", "no longer", "not all", "no other", "not just",
        "not selected", "not preselected", "not chosen",  # "patients not preselected for skin lesions"
        # a negation that closes its own phrase: "born without complications, hypotonia noted at birth"
        "without complications", "without complication", "without any complications", "without problems",
        "without any problems", "without incident",
        # "NBM (nil by mouth) due to vomiting", "nil change in seizures": not a negation of what follows
        "nil by mouth", "nil change", "nil changes", "nil significant change",
        # a range that includes the finding: "mild or absent intellectual disability", "reduced or absent reflexes"
        "absent or mild", "mild or absent", "absent to mild", "absent or minimal", "minimal or absent",
        "absent or very mild", "absent or reduced", "reduced or absent", "decreased or absent", "absent or decreased",
        "diminished or absent", "absent or diminished", "was absent or mild", "were absent or mild",
        "was absent or minimal", "were absent or minimal",
    ],
    FAMILY_PRE: [
        "family history of", "family history significant for", "family history positive for",
        "family history is significant for", "family history was significant for", "familial history of",
        "family history includes", "history in the family of", "fhx", "fh of",
        # the negation after it is read on its own: "family history (was) negative for seizures"
        "family history was negative for", "family history is negative for", "family history negative for",
        "negative family history of", "negative family history for",
        # none of them has it: "no (other) family members have ptosis"
        "no family members have", "no family member has", "no other family members have", "no other family member has",
        "no family members had", "no family member had", "no relatives have", "no other relatives have",
        "no relatives had", "no relative has", "no relative had", "no other relative has", "no other relative had",
        "no other relatives had", "no other family members had", "no other family member had",
        "family history is notable for", "family history was notable for", "family history notable for",
        "family history is remarkable for", "family history was remarkable for", "family history remarkable for",
        "family history is positive for", "family history was positive for", "positive family history of",
        "positive family history for",
    ],
    # what a sentence says of the family, present or absent: "no history of seizures in the family"
    FAMILY_POST: [
        "in the family", "in his family", "in her family", "in their family", "in the wider family",
        "in the extended family", "in the immediate family", "elsewhere in the family", "in the family history",
        "run in the family", "runs in the family", "ran in the family", "running in the family",
    ],
    RELATIVE: [
        "mother", "father", "parent", "parents", "sister", "sisters", "brother", "brothers", "sibling",
        "siblings", "sib", "sibs", "aunt", "aunts", "uncle", "uncles", "cousin", "cousins", "grandmother",
        "grandfather", "grandparent", "grandparents", "niece", "nephew", "son", "sons", "daughter", "daughters",
        "relative", "relatives", "family member", "family members", "mum", "dad", "twin", "half brother",
        "half sister", "kindred",
        # not the patient either: "his stepbrother has asthma", "her husband has ptosis", "her grandson ..."
        "stepbrother", "stepsister", "stepmother", "stepfather", "stepsibling", "step brother", "step sister",
        "step sibling", "half sibling", "half siblings", "grandson", "granddaughter", "grandchild", "husband", "wife",
    ],
    PATIENT: [
        "patient", "patients", "proband", "probands", "he", "she", "boy", "girl", "child", "infant", "neonate",
        "newborn", "baby", "man", "woman", "index case", "our case", "this case", "subject",
    ],
    CONTRAST: [
        "but", "however", "although", "though", "whereas", "while", "yet", "except", "apart from", "aside from",
        "other than", "besides", "given that", "given his", "given her", "given their", "given the",
        "which", "who", "whom", "whose", "because", "since", "nevertheless", "nonetheless", "instead",
    ],
    VERB: [
        "had", "has", "have", "having", "showed", "shows", "showing", "shown", "presented", "presents",
        "presenting", "revealed", "reveals", "demonstrated", "demonstrates", "exhibited", "exhibits",
        "displayed", "displays", "developed", "develops", "was", "were", "is", "are", "suffered", "suffers",
        "complained", "complains", "reported", "reports", "noted", "found",
        # a participle clause says what the finding before it led to: "lack of fat, giving a progeroid appearance"
        "giving", "causing", "resulting", "leading",
    ],
}

_VERBS = frozenset(_PHRASES[VERB])  # "the EEG of his brother was ...": a verb opens what is said of the relative
# Words that make a relative someone's: "his brother ataxia", "the son of his sister" (the patient's "'s" counts
# too).
POSSESSIVES = frozenset(("his", "her", "their", "its", "whose", "our", "my", "your"))
# First words of the relative triggers: "half brother", "family members".
RELATIVE_FIRST_WORDS = frozenset(p.split()[0] for p in _PHRASES[RELATIVE])
COPULAS = frozenset(("is", "are", "was", "were", "be", "been", "being"))
# Adjectives that say which relative: "his older brother", "a deaf maternal uncle", "he and his twin brother".
KIN_QUALIFIERS = frozenset((
    "maternal", "paternal", "older", "younger", "elder", "eldest", "oldest", "youngest", "big", "little", "baby",
    "twin", "half", "identical", "biological",
))
# A relative's age: "her 5-year-old sister", "his sister, aged 12, ataxia" (digits too).
_AGE_WORDS = frozenset((
    "year", "years", "yr", "yrs", "month", "months", "week", "weeks", "day", "days", "old",
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
))
# What makes a number before a relative their age, not a count: "5 yo brother", "3 year old sister".
_AGE_UNITS = frozenset(("yo", "y", "yr", "yrs", "year", "years", "month", "months", "mo", "week", "weeks", "old"))
# Words between an owner and the relative: "his older brother", "her 5-year-old sister", "their twin daughters".
_KIN_MODIFIERS = KIN_QUALIFIERS | _AGE_WORDS
# An age set apart after the relative, before their finding: "his sister, aged 12, ataxia".
_AGE_AFTER = _AGE_WORDS | frozenset(("aged", "age"))
# How many words may lie between a trigger and the finding it governs.
SCOPE = {NEG_PRE: 8, NEG_POST: 6, NEG_BOTH: 6, NORMAL: 1, UNC_PRE: 6, UNC_POST: 6, FAMILY_PRE: 10, FAMILY_POST: 6}
# A differential diagnosis lists its diseases, each one or more words long: its hedge reaches over the list
# ("Differential includes Noonan syndrome, Costello syndrome, and a congenital disorder of glycosylation").
_DIFFERENTIAL = frozenset(("differential", "differentials", "ddx", "dd"))
_DIFFERENTIAL_SCOPE = 30
# "Wilms tumour surveillance", not "aneurysm, now under cardiology surveillance"; "autism queried", not "ptosis present,
# autism queried"
_POST_SCOPE = {"surveillance": 0, "queried": 0}
_NUMBERS = frozenset(["two", "three", "four", "five", "six", "both", "affected", "twin", "2", "3", "4", "5", "6"])
_HAVING = frozenset(
    ["has", "had", "have", "with", "showed", "shows", "presented", "presents", "developed", "exhibited", "displayed", "suffers", "suffered", "also", "was", "were", "is", "are", "carries", "carried"]
)
_DIED = frozenset(["died", "dies", "succumbed"])  # "a sister died of cardiomyopathy": hers
_HAVING_OR_DIED = _HAVING | _DIED
# Relatives a count does not make the patients of a report ("both parents", "his 2 sisters", "two maternal aunts").
_PARENTS = frozenset(["mother", "father", "parent", "parents", "mum", "dad", "grandmother", "grandfather", "grandparent", "grandparents"])
_KIN_OF = frozenset(["his", "her", "their", "my", "our", "maternal", "paternal"])
# A finding stated present after it: "no seizures, hypotonia present".
_AFFIRMED = frozenset(["present", "noted", "seen", "evident", "yes", "positive", "confirmed"])


# Not frozen (hashable all the same, and never changed): a frozen dataclass costs twice as much to build, and
# triggers and assertions are built for every trigger word and every finding.
@dataclass(slots=True, unsafe_hash=True)
class Trigger:
    kind: str
    start: int  # first word index
    end: int  # one past the last word index


class TriggerIndex:
    """Trigger phrases by first word, longest first."""

    def __init__(self, phrases: dict[str, list[str]] | None = None) -> None:
        self.by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        written: dict[tuple[str, ...], str] = {}
        for kind, items in (phrases or _PHRASES).items():
            for phrase in items:
                written.setdefault(tuple(phrase.split()), kind)
        # the same phrases with a contracted negation ("doesn't have", "wasn't observed"), where not written out
        # (a phrase that names its auxiliary wins: "did not present" is a negation before the finding, "didn't
        # present"; "not present" after it gives "didn't present" too, only where no such phrase says otherwise)
        contracted: dict[tuple[str, ...], str] = {}
        for generic in (False, True):
            for words, kind in written.items():
                if (words[0] == "not") == generic:
                    for v in _contractions(words):
                        if v not in written:
                            contracted.setdefault(v, kind)
        for words, kind in (written | contracted).items():
            self.by_first.setdefault(words[0], []).append((words, kind))
        for options in self.by_first.values():
            options.sort(key=lambda o: -len(o[0]))
        # Per first word, for scan: the second words of its longer phrases, and the kind of its first one-word phrase
        # (None if it has none); per first two words, the longer phrases that start with them, longest first.
        self.seconds = {w: frozenset(o[0][1] for o in options if len(o[0]) > 1) for w, options in self.by_first.items()}
        self.alone = {w: next((kind for words, kind in options if len(words) == 1), None)
                      for w, options in self.by_first.items()}
        self.by_pair: dict[tuple[str, str], list[tuple[tuple[str, ...], str]]] = {}
        for options in self.by_first.values():
            for words, kind in options:
                if len(words) > 1:
                    self.by_pair.setdefault(words[:2], []).append((words, kind))

    def scan(self, forms: list[str], breaks: list[bool], positions: list[int] | None = None) -> list[Trigger]:
        """Non-overlapping triggers, longest first at each position; a phrase never spans a sentence break.

        positions: the word indices worth trying (words that start some trigger), when the caller knows them.
        """
        found: list[Trigger] = []
        after = 0  # words before this index are inside a trigger already found
        seconds, match, alone = self.seconds, self._match, self.alone
        last = len(forms) - 1
        for i in positions if positions is not None else range(len(forms)):
            if i < after:
                continue
            form = forms[i]
            followers = seconds.get(form)
            if followers is None:
                continue
            # (most words start no longer phrase with the word after them: _match's answer then, without the call)
            kind, k = match(forms, breaks, i) if i < last and forms[i + 1] in followers else (alone[form], 1)
            if k > 1 and kind != PSEUDO:
                # a pseudo-trigger from its last word on wins: "had no further seizures" is "no further"'s
                last_kind, last_k = match(forms, breaks, i + k - 1)
                if last_kind == PSEUDO and last_k > 1:
                    kind, k = PSEUDO, k - 1 + last_k
            if kind is not None:
                found.append(Trigger(kind, i, i + k))
                after = i + k
        return found

    def _match(self, forms: list[str], breaks: list[bool], i: int) -> tuple[str | None, int]:
        """The longest phrase starting at word i: (kind, words), kind None when none (as scan reads it)."""
        followers = self.seconds.get(forms[i])
        if followers is None:
            return None, 0
        if i + 1 < len(forms) and forms[i + 1] in followers:
            for words, longer in self.by_pair[forms[i], forms[i + 1]]:
                end = i + len(words)
                if end <= len(forms) and tuple(forms[i:end]) == words and not any(breaks[i + 1 : end]):
                    return longer, len(words)
        return self.alone[forms[i]], 1

    def starts(self, form: str) -> bool:
        return form in self.by_first


# Auxiliaries and their contraction with "not", as word_form reads it ("doesn't" -> "desnt", like "oedema" -> "edema").
_CONTRACTED = {aux: word_form(c) for aux, c in (
    ("is", "isnt"), ("are", "arent"), ("was", "wasnt"), ("were", "werent"), ("has", "hasnt"), ("have", "havent"),
    ("had", "hadnt"), ("do", "dont"), ("does", "doesnt"), ("did", "didnt"), ("could", "couldnt"),
    ("would", "wouldnt"), ("should", "shouldnt"), ("can", "cant"), ("will", "wont"), ("must", "mustnt"),
)}  # fmt: skip


def _contractions(words: tuple[str, ...]) -> list[tuple[str, ...]]:
    """'did not have' -> 'didn't have'; 'not observed' -> "wasn't observed", "isn't observed", ... (an auxiliary
    before "not" takes its contraction; a phrase that starts with "not" takes each); 'not' -> "doesn't", ..."""
    if "not" not in words:
        return []
    k = words.index("not")
    if k > 0:
        aux = _CONTRACTED.get(words[k - 1])
        return [(*words[: k - 1], aux, *words[k + 1 :])] if aux else []
    return [(aux, *words[1:]) for aux in _CONTRACTED.values()]


# Kinds that assert nothing of a finding by themselves: they only bound the scope of the others (assess reads them in
# its first pass and skips them in its second). Where all of a sentence's triggers are of these kinds, assess finds
# nothing asserted (Assertion()) for each of its findings.
NEUTRAL_KINDS = frozenset((VERB, PATIENT, CONTRAST, PSEUDO))


@dataclass(slots=True, unsafe_hash=True)  # (not frozen: see Trigger)
class Assertion:
    excluded: bool = False
    uncertain: bool = False
    family: bool = False


def assess(
    start: int,
    end: int,
    triggers: Sequence[Trigger],
    sentence: list[int],
    forms: list[str],
    possessive: Sequence[bool],
    comma_before: Sequence[bool] = (),
    sentence_start: int = 0,
    apart: Sequence[bool] = (),
    finding_starts: Container[int] = (),
) -> Assertion:
    """Negation, uncertainty and family attribution of the finding spanning words [start, end).

    sentence[i] is the sentence number of word i; forms are the word forms; possessive[i] marks "patient's";
    comma_before[i] marks a comma (or semicolon) just before word i; sentence_start is the first word of the
    finding's sentence (what lies before it is never read); apart[i], when given, marks word i as set apart from
    the word before by a plain space only, with no chosen phrase joining the two ("absent seizures", not
    "absent/hypoplastic thumbs" or the nested part of "absent thumbs"); finding_starts, when given, holds the
    first word of every finding in the text.
    """
    sid = sentence[start]
    excluded = uncertain = family = False
    contrast_before = -1  # last contrast word before the finding, in its sentence
    contrast_after = len(forms)
    verb_before = -1
    neither = False
    for t in triggers:
        if sentence[t.start] != sid:
            continue
        if t.kind == CONTRAST:
            if t.end <= start:
                contrast_before = max(contrast_before, t.start)
            elif t.start >= end and not (t.start == end and forms[t.start] in _PARENTHETICAL):
                contrast_after = min(contrast_after, t.start)
        elif t.kind == VERB and t.end <= start:
            verb_before = max(verb_before, t.start)
        elif t.kind == NEG_PRE and forms[t.start] in _NONE_OF:
            neither = True
    patients_before: list[Trigger] | None = None  # the patient triggers before it: read for a relative only
    # "Neither he nor his brother has hypotonia": the negation is of what the subjects have, after their verb
    subjects = _neither_nor_subjects(triggers, forms, sentence, sid) if neither else None
    if subjects is not None:
        first, verb, verb_end, with_patient = subjects
        if start >= verb_end and start - verb_end <= SCOPE[NEG_PRE] and contrast_before < first and not any(
            forms[k] in ("and", "but") for k in range(verb_end, start)
        ) and not any(  # a new subject ends it: "neither he nor his brother has hypotonia, he has seizures"
            u.kind in (PATIENT, RELATIVE) and verb_end <= u.start and u.end <= start for u in triggers
        ):
            excluded = True
            if with_patient:  # the patient is one of the subjects: the finding is not the relative's alone
                triggers = [t for t in triggers if not (t.kind == RELATIVE and first <= t.start < verb)]
            elif forms[verb] not in _TELLING:  # relatives alone ("neither of his parents has ..."): theirs; not
                # what they tell of ("neither parent reported seizures in him": the patient's)
                family = any(t.kind == RELATIVE and first <= t.start < verb for t in triggers)
        # "neither" and "nor" do not negate words inside the subjects: "his epileptic brother" is not negated
        triggers = [t for t in triggers if not (first <= t.start < verb and t.kind == NEG_PRE)]
    affirmed = None  # whether the finding is stated present after it, when a negation before it asks
    for t in triggers:
        kind = t.kind
        if kind in NEUTRAL_KINDS or sentence[t.start] != sid:
            continue
        if t.start < end and t.end > start:
            # a negation that ends inside the finding's first words: "no signs of liver disease" (the finding read
            # as "signs of liver", an abnormality of the liver); not one the finding's name holds ("had no speech")
            if kind == NEG_PRE and t.start < start < t.end and forms[start] not in _NEGATING_FIRST:
                excluded = True
            continue
        if t.end <= start:  # trigger before the finding
            gap = start - t.end
            if t.start < contrast_before:
                continue
            # "it could not be excluded that the seizures were ...", "we could not rule out that he has seizures":
            # the hedge covers the whole that-clause, its verb included
            clause = kind in (UNC_PRE, UNC_POST) and (
                _hedges_a_clause(t, forms, sentence) or forms[t.end - 1] in ("whether", "if") and t.start < t.end - 1
            )  # "it is unclear whether he has seizures": the clause, its verb included
            if clause:
                kind = UNC_PRE
            elif kind == NEG_PRE and _denies_a_clause(t, forms, sentence):
                clause = True  # "the mother denies that he has seizures": the denial is of the whole clause
            elif kind in (NEG_PRE, NEG_BOTH, NEG_POST) and _hedges_a_clause(t, forms, sentence):
                if forms[t.end + 1] in _RELATIVE_THAT_NEXT:
                    continue  # "a metabolic cause was excluded that could explain the seizures": "that" is relative
                # "it was excluded that he had seizures", "we ruled out that she has hypotonia": the exclusion is
                # of the whole that-clause, its verb included, when the clause has a subject of its own
                clause = _states_of_a_clause(t, forms)
                if clause:
                    kind = NEG_BOTH
            if kind == NEG_BOTH and forms[t.start] in ("was", "were") and not clause:
                continue  # a passive exclusion is of what comes before it: "infection was excluded and seizures began"
            if kind in (NEG_PRE, NEG_BOTH, NORMAL, UNC_PRE, FAMILY_PRE):
                # a verb between ends the scope, except after "if": "if she has seizures, ..." is hypothetical
                reach = SCOPE[kind] if forms[t.start] not in _DIFFERENTIAL else _DIFFERENTIAL_SCOPE
                if gap > reach and kind == NEG_PRE and not clause:
                    # a long negated list reaches its last items, a dozen of them
                    gap = _list_gap(t.end, start, forms, comma_before) * reach // _LIST_REACH
                if gap > reach or (
                        verb_before >= t.end and forms[t.start] != "if" and not clause):
                    continue
                if kind == NORMAL and any(comma_before[t.end : start + 1]):
                    continue  # "tone normal, reflexes brisk": "normal" qualifies only the word right after it
                if kind == UNC_PRE and any(forms[k] in _LISTING and comma_before[k] for k in range(t.end, start)
                                           if k < len(comma_before)):
                    continue  # "features suggestive of Marfan syndrome, including arachnodactyly": the patient's
                if kind in (NEG_PRE, NEG_BOTH, NORMAL):
                    if _new_clause_between(t.end, start, forms):
                        continue  # "the liver was not enlarged and the spleen was palpable": a clause of its own
                    if end < len(forms) and sentence[end] == sid and forms[end] in ("until", "till"):
                        continue  # "he did not have seizures until age 5": from then on he did
                    if (forms[t.start] == "without" and end < len(forms) and forms[end] in _CLAUSE_VERBS
                            and _new_item(t.end, start, forms, comma_before)):
                        continue  # "without seizures, hypotonia was the main feature": the subject of a clause
                    if affirmed is None:
                        affirmed = _affirmed_after(end, forms, sentence, sid)
                    if (affirmed or _occurs_after(end, forms, sentence, sid)) and _new_item(
                        t.end, start, forms, comma_before
                    ):
                        continue  # "no seizures, hypotonia present", "without treatment, seizures recur"
                    if _graded_item(t.end, start, forms, comma_before):
                        continue  # "no rashes, mild jaundice": a finding with a grade is stated present
                    if _list_closed(t.end, start, forms, comma_before, affirmed):
                        continue  # "no seizures, and hypotonia", "no seizures and hypotonia present"
                    if _item_of_a_present_list(t, triggers, forms, comma_before, sentence_start, finding_starts) and (
                            _past_the_negated_item(t.end, start, end, forms, comma_before, sentence, sid)):
                        continue  # "with hypotonia, no hearing loss, microcephaly and a VSD": only the hearing loss
                    if _determined_item_after(t.end, start, forms, comma_before, sentence, sid, finding_starts):
                        continue  # "no hearing loss, a small head and a VSD": the article opens a present item
                    if forms[t.start] == "without" and "with" in forms[t.end : start]:
                        continue  # "without seizures and with hypotonia": "with" reverses "without"
                    if any(forms[k + 1] in ("for", "of") and (forms[k], forms[k + 1]) in _REVERSING
                           and forms[k - 1] in ("and", "but", "with") for k in range(t.end, start - 1)):
                        continue  # "negative for seizures and positive for ataxia", "absence of X and presence of Y"
                    if any(forms[k] in ("only", "just") and comma_before[k] for k in range(t.end + 1, start) if k < len(comma_before)):
                        continue  # "he does not have ataxia, only seizures"
                    if kind != NORMAL and _absent_since(end, forms, sentence, sid):
                        continue  # "no seizures since starting valproate": a history of seizures
                    excluded = True
                elif kind == UNC_PRE:
                    uncertain = True
                else:
                    family = True
                    if forms[t.start] == "no" or "negative" in forms[t.start : t.end]:
                        excluded = True  # "family history negative for seizures", "no family members have ptosis"
            elif kind == NEG_POST and forms[t.start] == "absent" and t.end == start and not (
                start < len(comma_before) and comma_before[start]
            ) and (start >= len(apart) or apart[start]):
                excluded = True  # "absent seizures": no term names the two words together, so "absent" negates
            elif kind == RELATIVE and not family:
                # "his brother ataxia (and seizures)": a finding right after a possessed relative, with no verb, is
                # theirs ("relative bradycardia", "twin anemia polycythemia sequence" name no relative); after a
                # comma only where the possessed relative opens the statement ("he has hypotonia; his brother,
                # ataxia"), not inside a list ("hypotonia, his brother, and ataxia")
                # ("his 5-year-old brother", "the patient's older brother, ataxia" as well)
                owner = t.start - 1
                while owner > sentence_start and t.start - owner <= 4 and (
                    forms[owner] in _KIN_MODIFIERS or forms[owner].isdigit()
                ):
                    owner -= 1
                owned = owner >= sentence_start and (forms[owner] in POSSESSIVES or possessive[owner])
                comma = t.end < len(comma_before) and comma_before[t.end]
                opens = owner == sentence_start or (
                    owner == sentence_start + 1 and possessive[owner] and forms[sentence_start] == "the"
                )
                aged = t.end  # past an age after the relative: "his sister, aged 12, ataxia"
                while aged < start and aged - t.end < 4 and (forms[aged] in _AGE_AFTER or forms[aged].isdigit()):
                    aged += 1
                verbless = aged in finding_starts and owned and (opens or not comma)
                if patients_before is None:  # (the neither-nor filter above keeps every PATIENT trigger)
                    patients_before = [u for u in triggers if u.kind == PATIENT and u.end <= start and sentence[u.start] == sid]
                family = _relative_is_subject(t, start, forms, patients_before, possessive, sentence_start, verbless)
        elif t.start >= end:  # trigger after the finding
            gap = t.start - end
            if t.start > contrast_after:
                continue
            if kind in (NEG_POST, NEG_BOTH, UNC_POST) and (
                _new_subject_between(end, t.start, forms, comma_before, finding_starts)
                or _coordinated_clause_between(start, end, t.start, forms, verb_before)
            ):
                continue
            if kind == UNC_POST and _hedges_the_predicate(t, forms, sentence, sid):
                continue  # "seizures are likely to respond to valproate": the response is hedged, not the seizures
            if kind == NEG_POST and forms[t.start] == "absent" and t.end < len(forms) and sentence[t.end] == sid and (
                t.end >= len(comma_before) or not comma_before[t.end]
            ):
                continue  # "delay, with absent speech": "absent" before a noun is about that noun
            if kind in (NEG_POST, NEG_BOTH) and gap <= SCOPE[kind]:
                if _appeared_later(t.end, forms, sentence, sid):
                    continue  # "scoliosis was not present at birth but developed at 10 years": present
                excluded = True
            elif kind == UNC_PRE and gap <= 2 and _considered_after(t, forms, sentence, sid, comma_before):
                uncertain = True  # "hypotonia was considered", "autism is being considered by the team"
            elif kind == UNC_POST and gap <= _POST_SCOPE.get(forms[t.start], SCOPE[UNC_POST]):
                # (who raised it, not a hedge of what the note ruled out: "rather than the tall stature queried by
                # the referring team")
                uncertain = uncertain or not (excluded and t.end - t.start == 1 and forms[t.start] == "queried")
            elif (kind == FAMILY_POST and gap <= SCOPE[FAMILY_POST]
                  # not "he is the only one with seizures in the family"
                  and _ONE_OF_A_KIND.isdisjoint(forms[sentence_start:start])
                  # a list of findings reads on to it ("no delay, autism, or birth defects in the family"); a
                  # clause of another finding does not ("he has seizures, and deafness is common in the family")
                  and not (any(k in finding_starts for k in range(end, t.start))
                           and not _VERBS.isdisjoint(forms[end : t.start]))) or (
                kind == RELATIVE and gap <= 6 and _in_relative(t, forms, start, end)
            ):
                family = True
    if contrast_after < len(forms) and forms[contrast_after] == "but" and _ruled_out_after_but(
        contrast_after, triggers, forms
    ):
        excluded, uncertain = True, False  # "cardiomyopathy was queried but has (since) been excluded"
    if not excluded and _assessed_and_unmet(start, end, triggers, forms, sentence, sid):
        excluded, uncertain = True, False  # "assessed for autism but does not meet criteria": no autism
    if not family and contrast_before >= 0 and forms[contrast_before] in ("who", "whose"):
        family = _relative_clause(contrast_before, start, triggers, forms)
    if not (excluded and family) and _nobody_else_has(start, triggers, forms, max(sentence_start, contrast_before + 1)):
        excluded, uncertain, family = True, False, True  # "nobody else in the family has seizures": none of them
    if (excluded or uncertain) and _object_of_a_cause(start, forms, sentence, sid):
        excluded = uncertain = False  # "the cause of his seizures was not found": the cause is what is not known
    return Assertion(excluded, uncertain, family)


# Who the patient is, by sex, from the first word that says it ("this 4-month-old baby boy", "a 14-month-old male").
_MALE = frozenset(("boy", "male", "man", "gentleman"))
_FEMALE = frozenset(("girl", "female", "woman", "lady"))
SEX_WORDS = _MALE | _FEMALE
_FEMALE_KIN = frozenset(("mother", "mum", "mom", "sister", "sisters", "aunt", "grandmother", "daughter", "niece"))
_MALE_KIN = frozenset(("father", "dad", "brother", "brothers", "uncle", "grandfather", "son", "nephew"))


def others_pronouns(forms: list[str], triggers: list[Trigger]) -> list[Trigger]:
    """In a note about a boy, "she" after his mother (or sister, aunt ...) is named is that relative ("His mother has
    myotonia. She has ptosis."), and "he" in a note about a girl a male relative: such a pronoun is read as a
    relative, not the patient. Unchanged where the note does not say the patient's sex or names no such relative."""
    sex = next((w for w in forms if w in SEX_WORDS), None)
    if sex is None:
        return triggers
    other, kin = ("she", _FEMALE_KIN) if sex in _MALE else ("he", _MALE_KIN)
    first_kin = next((i for i, w in enumerate(forms) if w in kin), None)
    if first_kin is None:
        return triggers
    return [Trigger(RELATIVE, t.start, t.end) if t.kind == PATIENT and t.start > first_kin and forms[t.start] == other
            and t.end == t.start + 1 else t for t in triggers]


# Words for a child that name the patient ("the child") but, after a relative's "had a", that relative's child.
CHILD_WORDS = frozenset(("child", "baby", "boy", "girl", "infant", "newborn", "neonate"))
_BEARING = frozenset(("has", "had", "have", "lost", "delivered"))
_A_CHILDS = frozenset(("a", "an", "another", "one", "previous", "older", "younger", "first", "second", "affected",
                       "stillborn", "male", "female", "baby", "year", "month", "old"))


def relatives_children(forms: list[str], triggers: list[Trigger]) -> list[Trigger]:
    """'Her maternal aunt had a child with seizures', 'his mother has an affected boy from her first marriage': a child
    a relative had is a relative (a cousin, a half-sibling), not the patient. Read so where a relative, then "has",
    "had" or "lost", then an article ("a", "another") and at most a few words for the child come before the child
    word ("the child had seizures" is the patient)."""
    out = list(triggers)
    for i, t in enumerate(out):
        if t.kind != PATIENT or forms[t.start] not in CHILD_WORDS or t.start < 3:
            continue
        k = t.start - 1
        while k > 0 and t.start - k <= 4 and (forms[k] in _A_CHILDS or forms[k].isdigit()):
            k -= 1
        if k == t.start - 1 or forms[k + 1] not in ("a", "an", "another", "one") or forms[k] not in _BEARING:
            continue
        if any(u.kind == RELATIVE and k - 4 <= u.start and u.end <= k for u in out[:i]):
            out[i] = Trigger(RELATIVE, t.start, t.end)
    return out


# Words of a clause after "but" whose subject is still the finding before it: "was queried but has since been".
_SAME_SUBJECT = frozenset(("has", "have", "had", "was", "were", "is", "are", "been", "since", "subsequently", "later",
                           "now", "then", "also", "definitively", "finally", "eventually"))


_ASSESSED = frozenset(("assessed", "evaluated", "assessment", "evaluation", "tested", "screened", "reviewed"))
_UNMET = frozenset(("meet", "fulfil", "fulfill"))


def _assessed_and_unmet(start: int, end: int, triggers: Sequence[Trigger], forms: list[str], sentence: list[int],
                        sid: int) -> bool:
    """The finding is what an assessment was for, and the sentence goes on that the criteria were not met
    ("he has been assessed for autism and does not meet criteria", "evaluated for ADHD but did not meet the
    criteria"): the criteria are the finding's, past the "and" or "but" that would end a negation's reach."""
    if start < 2 or forms[start - 1] != "for" or forms[start - 2] not in _ASSESSED or sentence[start - 2] != sid:
        return False
    # (a trigger of two words at least: a one-word one, "absent", may end the text)
    return any(t.kind == NEG_POST and t.start >= end and sentence[t.start] == sid and t.end - t.start >= 2
               and forms[t.start + 1] in _UNMET and forms[t.end - 1] == "criteria" for t in triggers)


def _ruled_out_after_but(but: int, triggers: Sequence[Trigger], forms: list[str]) -> bool:
    """'Cardiomyopathy was suspected but has since been ruled out': the clause after "but" goes on about the finding
    (no subject of its own, only auxiliaries and adverbs) and ends in an exclusion, the last word on it."""
    for t in triggers:
        if t.start > but and t.kind in (NEG_POST, NEG_BOTH):
            return _SAME_SUBJECT.issuperset(forms[but + 1 : t.start]) and forms[t.end - 1] in ("excluded", "out")
    return False


# The patient set apart from the family: "the only one / the first with seizures in the family".
_ONE_OF_A_KIND = frozenset(("only", "first", "alone"))
_DETERMINERS = frozenset(("the", "his", "her", "their", "its", "a", "an"))
# Negations that may stand for each of the people after them: "neither he nor his brother", "none of his sisters".
_NONE_OF = frozenset(("neither", "none"))
# Verbs (VERB triggers) whose subjects tell of a finding rather than have it: "neither parent reported seizures".
_TELLING = frozenset(("reported", "reports", "noted", "found"))


# Subjects that leave the patient out and say no one else has what follows: "nobody else (in the family) has",
# "no one else is affected by", "no other relatives are known to have".
_NOBODY = frozenset(("nobody", "noone"))
_NO_OTHER_REACH = 10  # words from the subject to the finding (a short list of findings)


def _nobody_else_has(start: int, triggers: Sequence[Trigger], forms: list[str], first: int) -> bool:
    """'Nobody else in the family has seizures', 'there is no one else in the family with cataracts', 'no other
    relatives are known to have cataracts': the finding after such a subject (from word `first` of its sentence,
    past any contrast) is the family's, and none of them has it; the patient is said to have nothing. Not after
    a new subject ("nobody else is affected and he has seizures") or a new clause."""
    words = forms[first:start]
    if "no" not in words and _NOBODY.isdisjoint(words):
        return False  # (most sentences have no such subject: one look at C speed, not a step per word)
    for p in range(first, start):
        anyone = forms[p] in _NOBODY or forms[p] == "no" and forms[p + 1] == "one"  # (without "else", anyone)
        if anyone:
            e = p + 1 + (forms[p] == "no")
        elif forms[p] == "no":  # "no (other) relatives", "no other family members"
            kin = p + 1 + (forms[p + 1] == "other")
            e = next((t.end for t in triggers if t.kind == RELATIVE and t.start == kin and t.end <= start), -1)
            if e < 0:
                continue
        else:
            continue
        said = e + (forms[e] == "else")  # "no one else": all but the patient
        said = next((t.end for t in triggers if t.kind == FAMILY_POST and t.start == said and t.end <= start), said)
        if anyone and said == e:
            continue
        return (start - said <= _NO_OTHER_REACH
                and not any(t.kind in (PATIENT, RELATIVE) and said <= t.start < start for t in triggers)
                and not _new_clause_between(said, start, forms))
    return False


def _neither_nor_subjects(
    triggers: Sequence[Trigger], forms: list[str], sentence: list[int], sid: int
) -> tuple[int, int, int, bool] | None:
    """'Neither he nor his (epileptic) brother has ...', 'neither the patient nor her mother had ...': the
    "neither" joins two people, the subjects of the verb after them; 'neither parent has ...', 'neither of his
    sisters had ...', 'none of his siblings has ...': it stands for each of them. (first word, the verb's first
    word and end, whether the patient is one of them), or None ("neither seizures nor hypotonia" is a negated
    list)."""
    ours = [t for t in triggers if sentence[t.start] == sid]
    for i, t in enumerate(ours):
        word = forms[t.start]
        if t.kind != NEG_PRE or word not in _NONE_OF or (word == "none" and forms[t.end : t.end + 1] != ["of"]):
            continue
        people = 0
        patient = False
        nor = False
        last = t.end  # end of the last subject
        for u in ours[i + 1 :]:
            if u.start - last > 3:
                return None  # "his epileptic brother": a few words may qualify a subject, no more
            if u.kind in (PATIENT, RELATIVE):
                people += 1
                patient = patient or u.kind == PATIENT
                last = u.end
            elif u.kind == NEG_PRE and forms[u.start] == "nor" and people == 1 and not nor and word == "neither":
                nor = True
                last = u.end
            elif u.kind == VERB and people == (2 if nor else 1) and u.start - last <= 1:
                return t.start, u.start, u.end, patient
            else:
                return None
        return None
    return None


# Last words of the hedges that may take a that-clause: "cannot exclude that", "could not be ruled out that".
_EXCLUDING = frozenset(("exclude", "excluded", "out"))


# "that" as a determiner of time, not opening a clause: "it could not be excluded that day"
_THAT_TIME = frozenset(("day", "days", "week", "month", "year", "time", "visit", "night", "morning", "evening", "stage"))


def _hedges_a_clause(t: Trigger, forms: list[str], sentence: list[int]) -> bool:
    """'(it) could not be excluded that ...', '(we) cannot rule out that ...': a hedge on the clause after it."""
    return (forms[t.end - 1] in _EXCLUDING and t.end < len(forms) and forms[t.end] == "that"
            and sentence[t.end] == sentence[t.start]
            and not (t.end + 1 < len(forms) and forms[t.end + 1] in _THAT_TIME))


# Words after "that" that make it a relative pronoun: "a cause was excluded that could explain the seizures".
_RELATIVE_THAT_NEXT = frozenset((
    "could", "can", "would", "might", "may", "will", "explains", "explained", "explain", "caused", "causes",
    "was", "were", "is", "are", "has", "had", "accounts", "accounted", "underlies", "underlay",
))
# Words between the stater and the exclusion: "it has (definitely) been excluded", "we (could) rule out".
_AUXILIARIES = frozenset((
    "was", "is", "has", "have", "had", "been", "be", "were", "are", "could", "can", "would", "will", "may",
    "might", "definitely", "also", "already", "then", "thus", "therefore", "clearly",
))
_STATERS = frozenset(("it", "we", "they", "i", "this"))
_CLAUSE_SUBJECTS = frozenset((
    "he", "she", "they", "it", "the", "his", "her", "their", "this", "there", "a", "an", "our", "patient", "i",
))


def _states_of_a_clause(t: Trigger, forms: list[str]) -> bool:
    """'It was excluded that he ...', 'we ruled out that the patient ...': the exclusion is stated ("it", "we")
    of a that-clause with a subject of its own (so "the seizures were excluded that day" is not one)."""
    k = t.start - 1
    while k >= 0 and t.start - k <= 4 and forms[k] in _AUXILIARIES:
        k -= 1
    return k >= 0 and forms[k] in _STATERS and forms[t.end + 1] in _CLAUSE_SUBJECTS


def _new_clause_between(after: int, start: int, forms: list[str]) -> bool:
    """'... not enlarged and the spleen ...': a coordinator and a determiner open a clause with its own subject;
    'he never walked and had no speech': a coordinator and a verb, a predicate of its own. Not an article after
    an article ("no evidence of a VSD and an ASD"): two items of the negated list."""
    listed = forms[after] in _INDEFINITE
    return any(forms[k] in ("and", "but") and (forms[k + 1] in _DETERMINERS and not (listed and forms[k + 1] in _INDEFINITE)
                                               or forms[k + 1] in _VERBS)
               for k in range(after, start - 1))


_INDEFINITE = frozenset(("a", "an"))


_DENYING = frozenset(("denies", "denied", "deny", "denying"))
# After a coordinator, these end a negation before them ("no presence of seizures" is itself one).
_REVERSING = frozenset((("positive", "for"), ("presence", "of")))
# First words of findings whose names say "no": "(had) no speech", "(has) absent thumbs", "(with) lack of ..."
_NEGATING_FIRST = frozenset(("no", "not", "non", "without", "absent", "absence", "lack", "lacking", "loss", "never"))


def _denies_a_clause(t: Trigger, forms: list[str], sentence: list[int]) -> bool:
    """'(The mother) denies that he has seizures': a denial of a that-clause with a subject of its own."""
    return (forms[t.end - 1] in _DENYING and t.end + 1 < len(forms) and forms[t.end] == "that"
            and sentence[t.end] == sentence[t.start] and forms[t.end + 1] in _CLAUSE_SUBJECTS)


def _affirmed_after(end: int, forms: list[str], sentence: list[int], sid: int) -> bool:
    """'hypotonia present', 'hypotonia was noted': the finding is stated present right after it."""
    k = end
    if k < len(forms) and sentence[k] == sid and forms[k] in ("is", "are", "was", "were"):
        k += 1
    return k < len(forms) and sentence[k] == sid and forms[k] in _AFFIRMED


# A finding that happens: "(without treatment,) seizures recur", "(no fever,) seizures started at 3 months".
_OCCURS = frozenset((
    "recur", "recurs", "recurred", "occur", "occurs", "occurred", "persist", "persists", "persisted", "began",
    "begin", "begins", "started", "starts", "developed", "develops", "appeared", "appears", "continued",
    "continues", "worsened", "progressed", "emerged",
))
# What a finding did after it was absent: "not present at birth but developed at 10 years".
_LATER_ONSET = frozenset(("developed", "appeared", "became", "emerged", "began", "started", "manifested"))


def _occurs_after(end: int, forms: list[str], sentence: list[int], sid: int) -> bool:
    """'seizures recur', 'seizures have persisted': the finding is stated to happen right after it."""
    k = end
    if k < len(forms) and sentence[k] == sid and forms[k] in ("have", "has", "had"):
        k += 1
    return k < len(forms) and sentence[k] == sid and forms[k] in _OCCURS


# Time words of "no seizures for two years", "no seizures in the past year".
_SPANS = frozenset((
    "year", "years", "month", "months", "week", "weeks", "day", "days", "decade", "decades",
))
_SPAN_COUNTS = frozenset((
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "several", "many",
    "a", "one", "some", "over", "more", "than",
))


def _absent_since(end: int, forms: list[str], sentence: list[int], sid: int) -> bool:
    """'(no) seizures since starting valproate', '... for two years', '... in the past year': absent since a time,
    so the patient had them before (not 'since birth', which is never)."""
    def at(k: int) -> str:
        return forms[k] if k < len(forms) and sentence[k] == sid else ""

    k = end
    if at(k) == "since":
        return at(k + 1) not in ("", "birth", "born")
    if at(k) in ("for", "in", "over", "during") and at(k + 1) in ("the", "a") and at(k + 2) in ("past", "last"):
        return True
    if at(k) == "for":
        k += 1
        while at(k) in _SPAN_COUNTS or at(k).isdigit():
            k += 1
        return at(k) in _SPANS and (k > end + 1 or at(k) in ("years", "months"))  # "for (two) years"
    return False


def _appeared_later(after: int, forms: list[str], sentence: list[int], sid: int) -> bool:
    """'... not present at birth but developed later', '... absent at first but then appeared', '... not
    diagnosed until age 2' (a "not" that holds until a time; "absent until ..." is left as written)."""
    if after < len(forms) and forms[after] in ("until", "till") and sentence[after] == sid and "not" in forms[after - 3 : after]:
        return True
    for k in range(after, min(after + 4, len(forms) - 1)):
        if sentence[k] != sid:
            return False
        if forms[k] == "but":
            j = k + 1
            if j < len(forms) - 1 and forms[j] in ("then", "later", "subsequently", "it", "they"):
                j += 1
            return sentence[j] == sid and forms[j] in _LATER_ONSET
    return False


_LIST_REACH = 12  # items of a negated list a negation reaches (a review of systems lists many)
_LIST_ITEM_WORDS = 5  # the longest item of a negated list counted as one ("a generalised tonic-clonic seizure")


def _list_gap(after: int, start: int, forms: list[str], comma_before: Sequence[bool]) -> int:
    """The distance from a negation to a finding when what lies between is a list of short items ("never had absence
    seizures, drop attacks, febrile convulsions, infantile spasms or myoclonic jerks"): the first item's words and
    one for each later item, so a list's last item is as near as a short list's; the word count where an item is
    longer or the list has fewer than three items (no list at all, or a clause of its own)."""
    words = start - after
    items: list[int] = [0]
    for k in range(after, start):
        joined = forms[k] in _EITHER_OR_AND
        if k > after and (k < len(comma_before) and comma_before[k] or joined):
            if items[-1]:
                items.append(0)
            if joined:
                continue
        items[-1] += 1
    if len(items) < 3 or any(n > _LIST_ITEM_WORDS for n in items):
        return words
    return items[0] + len(items) - 1


_EITHER_OR_AND = frozenset(("or", "nor", "and"))


def _new_item(after: int, start: int, forms: list[str], comma_before: Sequence[bool]) -> bool:
    """A comma between a negation and the finding, and no coordinator after it: not a negated list's item."""
    commas = [k for k in range(after, start + 1) if k < len(comma_before) and comma_before[k]]
    return bool(commas) and not any(w in ("and", "or", "nor") for w in forms[commas[-1] : start])


_GRADES = frozenset(("mild", "mildly", "moderate", "moderately", "severe", "severely", "marked", "markedly",
                     "profound", "significant", "slight", "slightly", "gross", "prominent"))


# Negations that may open one item of a list of findings stated present: "(with) hypotonia, no hearing loss, ..."
_ITEM_NEGATIONS = frozenset(("no", "without"))
_OR = frozenset(("or", "nor"))


def _item_of_a_present_list(t: Trigger, triggers: Sequence[Trigger], forms: list[str], comma_before: Sequence[bool],
                            sentence_start: int, finding_starts: Container[int]) -> bool:
    """'(A girl with) delay, hypotonia, no hearing loss, ...': the negation opens an item after a comma, the item
    before it names a finding, and nothing earlier in the sentence negates or states normal (its earlier items are
    stated present): the negation is of its own item, not of the list."""
    if forms[t.start] not in _ITEM_NEGATIONS or not (t.start < len(comma_before) and comma_before[t.start]):
        return False
    item = t.start - 1  # the item before: back to its comma or the sentence's start
    while item > sentence_start and not comma_before[item]:
        item -= 1
    return any(k in finding_starts for k in range(item, t.start)) and not any(
        u.kind in (NEG_PRE, NEG_BOTH, NEG_POST, NORMAL) and sentence_start <= u.start < t.start for u in triggers)


def _past_the_negated_item(after: int, start: int, end: int, forms: list[str], comma_before: Sequence[bool],
                           sentence: list[int], sid: int) -> bool:
    """In a list stated present, a negated item reaches past its comma only as an "or" list ("hypotonia, no
    seizures, ataxia or tremor"): the finding is past it after an "and" ("no seizures or ataxia, and tremor"), or
    after a comma that no "or" follows in the list ("no hearing loss, microcephaly and a VSD")."""
    if "and" in forms[after:start]:
        return True
    commas = [k for k in range(after + 1, start + 1) if k < len(comma_before) and comma_before[k]]
    if not commas:
        return False  # the negated item's own finding ("no hearing loss")
    if not _OR.isdisjoint(forms[commas[-1] : start]):
        return False  # "no seizures, ataxia or tremor": tremor is in the negated "or" list
    k = end  # "no seizures, ataxia or tremor": ataxia is too, as an "or" after it says
    while k < len(forms) and sentence[k] == sid and k - end < 12 and forms[k] not in ("and", "but", "no", "without"):
        if forms[k] in _OR:
            return False
        k += 1
    return True


def _determined_item_after(after: int, start: int, forms: list[str], comma_before: Sequence[bool],
                           sentence: list[int], sid: int, finding_starts: Container[int]) -> bool:
    """'No hearing loss, a small head and a VSD', 'no hearing loss, microcephaly and a VSD': after the negated item
    (itself with no article), an item of the list opening with an article or a possessive names a finding the
    negation does not reach, nor the items of the same "and" list before it; an "or" keeps the list negated."""
    if forms[after] in _DETERMINERS or not any(k < len(comma_before) and comma_before[k] for k in range(after + 1, start + 1)):
        return False
    determined = False
    k = after + 1
    while k < len(forms) and sentence[k] == sid and k - after < 16 and forms[k] not in ("but", "no", "without"):
        if forms[k] in _OR:
            return False  # "no VSD, an ASD or a PDA": one negated "or" list
        opens = comma_before[k] if k < len(comma_before) else False
        if (opens or forms[k - 1] == "and") and forms[k] in _DETERMINERS and any(
                j in finding_starts for j in range(k + 1, k + 3)):  # (not "and the MRI showed atrophy")
            determined = True
        k += 1
    return determined


def _graded_item(after: int, start: int, forms: list[str], comma_before: Sequence[bool]) -> bool:
    """'No rashes, mild jaundice': after the negated item a comma, then an item that opens with a grade and is
    joined by no coordinator; the grade states the finding (an absent one has none)."""
    k = next((k for k in range(start, after, -1) if k < len(comma_before) and comma_before[k]), None)
    return k is not None and forms[k] in _GRADES and start - k <= 2


def _list_closed(after: int, start: int, forms: list[str], comma_before: Sequence[bool], affirmed: bool) -> bool:
    """The negated list ended before the finding, which is then a statement of its own.

    - "no seizures, and hypotonia", "she has hypotonia, no seizures, and ataxia": a comma before "and" that is the
      only comma in the negation's reach closes a two-item list (a serial comma needs three items: "no seizures,
      hypotonia, and ataxia" stays negated throughout);
    - "no seizures and hypotonia present": one "and", no comma, and the finding stated present after it.
    - "no seizures or ataxia, and hypotonia is present": an "or" list closed by ", and" and a finding stated present.
    Without such a cue "no seizures and hypotonia" reads as one negated list, as does any "or"/"nor" list.
    """
    between = forms[after:start]
    if "and" not in between:
        return False
    commas = [k for k in range(after, start + 1) if k < len(comma_before) and comma_before[k]]
    ors = [k for k in range(after, start) if forms[k] in ("or", "nor")]
    if ors:
        # "no seizures or ataxia, and hypotonia is present": ", and" after the "or" list, the finding stated present
        return affirmed and any(forms[k] == "and" and k > ors[-1] for k in commas)
    if len(commas) == 1:
        return forms[commas[0]] == "and"
    return not commas and affirmed and between.count("and") == 1


def _relative_clause(who: int, start: int, triggers: Sequence[Trigger], forms: list[str]) -> bool:
    """'Her mother, who has epilepsy, ...': the clause is about the relative it follows."""
    relative = next((t for t in triggers if t.kind == RELATIVE and t.end == who), None)
    if relative is None or not _GOVERNING.isdisjoint(forms[max(0, relative.start - 3) : relative.start]):
        return False  # "an infant of consanguineous parents who developed cyanosis": the infant did
    if any(t.kind in (PATIENT, RELATIVE) and who < t.start < start for t in triggers):
        return False
    between = forms[who + 1 : start]
    if forms[who] == "whose":
        return len(between) <= 2  # "her mother, whose epilepsy ..."
    return len(between) <= 6 and not _HAVING_OR_DIED.isdisjoint(between)


_CAUSE_WORDS = frozenset((
    "cause", "causes", "etiology", "aetiology", "explanation", "reason", "basis", "origin", "source", "trigger",
    "triggers", "mechanism",
))
_BEFORE_OBJECT = _DETERMINERS | frozenset(("these", "this", "such"))


def _object_of_a_cause(start: int, forms: list[str], sentence: list[int], sid: int) -> bool:
    """'the cause of (his) seizures', 'an explanation for the seizures': the finding is what a cause is sought
    for, so a negation or hedge of the cause says nothing of the finding."""
    k = start - 1
    while k > 0 and sentence[k] == sid and forms[k] in _BEFORE_OBJECT and start - k <= 2:
        k -= 1
    return k > 0 and sentence[k - 1] == sid and forms[k] in ("of", "for") and forms[k - 1] in _CAUSE_WORDS


def _new_subject_between(
    end: int, trigger: int, forms: list[str], comma_before: Sequence[bool], finding_starts: Container[int] = ()
) -> bool:
    """'Despite cholestasis, total bilirubin remained within normal limits': after the comma a clause with its
    own subject begins, and the trigger at its end is about that subject. Right after the finding, a comma may
    also begin a list of findings ("ptosis, hypotonia and seizures were absent"): a subject there names none."""
    last_comma = next((k for k in range(trigger, end - 1, -1) if k < len(comma_before) and comma_before[k]), None)
    if last_comma is None:
        return False
    words = forms[last_comma:trigger]
    # "ptosis, and the toenails are absent": a coordinated clause whose subject has its own determiner (a list
    # of findings has none: "ptosis, hypotonia and seizures were absent")
    if len(words) >= 4 and words[0] in ("and", "but") and words[1] in _CLAUSE_DETERMINERS and words[-1] in COPULAS:
        return True
    if last_comma == end and any(k in finding_starts for k in range(end, trigger)):
        return False
    return sum(1 for w in words if w not in _CLAUSE_GLUE) >= 2


def _coordinated_clause_between(start: int, end: int, trigger: int, forms: list[str], verb_before: int) -> bool:
    """'He has ptosis and his seizures are likely to be focal', 'ptosis was noted and hypotonia was excluded': the
    finding is the object (or has a verb) of its own clause, and "and" opens another whose subject the trigger
    after it is said of. Findings listed as the trigger's subjects have no verb of their own ("ptosis and
    hypotonia are possible", "the MRI showed that ptosis and ... were absent")."""
    for k in range(end, trigger - 1):
        if forms[k] == "and":
            return (verb_before >= 0 and "that" not in forms[verb_before:start]) or any(
                forms[j] in _CLAUSE_VERBS for j in range(end, k))
    return False


# After "is likely": what the hedge is of when it is not the finding's being there ("seizures are likely to
# respond", "likely secondary to the malformation"); being there is ("scoliosis is likely to develop").
_PREDICATE_HEDGED = frozenset(("secondary", "due", "related", "caused", "attributable", "part", "a", "an", "of", "the"))
_BEING_THERE = frozenset((
    "develop", "occur", "appear", "emerge", "arise", "manifest", "recur", "be", "have", "exist", "become", "evolve",
))
_TO_BE_WHAT = frozenset(("a", "an", "the", "due", "secondary", "related", "caused", "part", "of"))
_TO_BE_HOW = frozenset(("mild", "moderate", "severe", "focal", "generalised", "generalized", "central", "peripheral",
                        "progressive", "benign", "transient", "familial", "genetic", "acquired", "congenital"))


def _hedges_the_predicate(t: Trigger, forms: list[str], sentence: list[int], sid: int) -> bool:
    """'Seizures are likely to respond to treatment', 'his seizures are likely to be focal', 'hypotonia is likely
    secondary to prematurity': the hedge after the finding is of what is said of it, not of its being there."""
    after = t.end
    if forms[t.end - 1] not in ("likely", "unlikely", "probable", "possible") or after >= len(forms) or sentence[after] != sid:
        return False
    word = forms[after]
    if word in _PREDICATE_HEDGED:
        return True
    if word != "to" or after + 1 >= len(forms) or sentence[after + 1] != sid:
        return False
    verb = forms[after + 1]
    if verb not in _BEING_THERE:
        return True  # "likely to respond", "likely to improve"
    following = forms[after + 2] if after + 2 < len(forms) and sentence[after + 2] == sid else ""
    return verb == "be" and (following in _TO_BE_WHAT or following in _TO_BE_HOW)  # not "likely to be present"


# What may follow "X was considered" that leaves X the thing considered, not judged ("considered mild",
# "considered to be central" say the finding is there).
_AFTER_CONSIDERED = frozenset((
    "but", "by", "in", "as", "at", "previously", "initially", "earlier", "before", "too", "also", "likely",
    "possible", "probable", "today", "clinically",
))


def _considered_after(t: Trigger, forms: list[str], sentence: list[int], sid: int, comma_before: Sequence[bool]) -> bool:
    """'Hypotonia was considered', 'autism is being considered (by the team)': "considered" after the finding, as
    the passive of considering it (a copula before it), hedges it, unless it goes on to judge it ("was considered
    mild", "considered to be central")."""
    if forms[t.start] != "considered" or t.start == 0 or forms[t.start - 1] not in COPULAS | {"also"}:
        return False
    after = t.end
    return (after >= len(forms) or sentence[after] != sid or (after < len(comma_before) and comma_before[after])
            or forms[after] in _AFTER_CONSIDERED)


_CLAUSE_DETERMINERS = frozenset(("the", "his", "her", "their", "its", "both", "all"))
# Words that do not make a subject of their own between a finding and a trigger after it.
_CLAUSE_GLUE = frozenset((
    "was", "were", "is", "are", "been", "has", "have", "had", "be", "also", "however", "though", "still", "and",
    "the", "a", "an", "in", "on", "at", "of", "so", "far", "as", "expected", "yet", "both", "all", "either",
    "clinically", "again", "subsequently", "later",
))
# Contrast words set off by commas right after the finding: "Seizures, however, were not observed".
_PARENTHETICAL = frozenset(("however", "though", "nevertheless", "nonetheless"))


def _relative_is_subject(
    t: Trigger,
    start: int,
    forms: list[str],
    patients_before: list[Trigger],
    possessive: Sequence[bool],
    sentence_start: int = 0,
    verbless: bool = False,
) -> bool:
    """'His mother has cataracts': the relative heads the clause and the patient is not named with them.
    verbless: the finding follows the relative at once ("he has hypotonia; his brother ataxia")."""
    first = max(sentence_start, t.start - 2)
    before = forms[first : t.start]
    # (not a pedigree position's number: "III-2 (son of II-1)")
    counted = any(w in _NUMBERS and forms[first + k + 1] not in _AGE_UNITS
                  and not (first + k and forms[first + k - 1] in _GENERATIONS) for k, w in enumerate(before))
    if counted and not _kin_of_patient(t, forms, max(sentence_start, t.start - 3)):
        return False  # "two brothers with ..." are the patients of a report (not "5 yo brother with ...": an age)
    for k in range(t.start - 1, max(sentence_start, t.start - 4) - 1, -1):
        w = forms[k]
        if w in _GOVERNING:
            if w == "of" and _relatives_part(k, t, start, forms, patients_before, sentence_start):
                break  # "the EEG of his brother was epileptic": the subject is the relative's
            return False  # "she was born to healthy parents and had ...": the relative is no subject
        if w in _HAVING or w == "and":
            break
    if "and" in before:
        joined = first + before.index("and")
        if not _NUMBERS.isdisjoint(forms[max(sentence_start, joined - 3) : joined]):
            return False  # "both siblings and their mother showed ...": the patients are in the subject
    if possessive[t.end - 1]:
        # "her father's seizures" are his; "the mother's pregnancy" (and what complicated it) is the patient's
        return start - t.end <= 2 and _PREGNANCY.isdisjoint(forms[t.end : start + 1])
    # "the father of the patient has ataxia": the patient named after "of" says whose relative, and is no subject
    owner = next((p for p in patients_before if p.start > t.end and _of_the_patient(t.end, p, forms)), None)
    said = owner.end if owner is not None else t.end  # where what is said of the relative begins
    following = forms[said : min(len(forms), said + 4)]
    if following[:1] == ["like"] and following[1:2] in (["him"], ["her"], ["the"]):
        return False  # "his brother, like him, has ptosis": shared with the patient
    if not _REPORTING.isdisjoint(following):
        return False  # "his parents describe hoarding": they tell of the patient
    if any(w in _WITNESSING and k and (following[k - 1] in ("not", "never") or w == "witnessed" and following[k - 1]
                                       in ("has", "have", "had")) for k, w in enumerate(following)):
        return False  # "his parents have not seen any regression", "her mother has witnessed seizures"
    if not verbless and _HAVING_OR_DIED.isdisjoint(following):
        return False
    for p in patients_before:
        if (p.end <= t.start and t.start - p.end <= 4 and not possessive[p.end - 1]
                and _JOINED_SUBJECT.issuperset(forms[p.end : t.start])):
            return False  # "the patient and his brother had ...": shared ("he has X and his mother has Y" is not)
        if p.start >= t.end and not possessive[p.end - 1] and p is not owner:
            return False  # the patient becomes the subject again before the finding
    return True


# Verbs right after a finding that make it the subject of a clause of its own.
_CLAUSE_VERBS = COPULAS | {"has", "had", "have", "developed", "began", "started", "persisted", "remained", "dominated"}
# After a comma, words that list the patient's own features after a hedged diagnosis ("suggestive of Marfan
# syndrome, including arachnodactyly").
_LISTING = frozenset(("including", "such", "namely", "notably", "particularly", "especially"))
# Words between "of" and the patient it names: "the mother of our 3-year-old patient".
_BEFORE_PATIENT = frozenset(("the", "this", "our", "a", "an")) | _AGE_WORDS
# Verbs whose subject is the relative before "of the patient": "the father of the patient has (also) ataxia" (not
# "relatives of patients with NF2": the finding is the patients').
_RELATIVES_VERBS = (_VERBS | _HAVING | _DIED) - {"with", "also"}


def _of_the_patient(after: int, p: Trigger, forms: list[str]) -> bool:
    """'(the father) of the patient has', '(the mother) of this boy was': the words from `after` to the patient
    trigger p are "of" and a determiner or age, and a verb follows the patient."""
    verb = p.end + (p.end < len(forms) and forms[p.end] == "also")
    return (forms[after] == "of" and p.start - after <= 5
            and all(w in _BEFORE_PATIENT or w.isdigit() for w in forms[after + 1 : p.start])
            and verb < len(forms) and forms[verb] in _RELATIVES_VERBS)


def _relatives_part(
    of: int, t: Trigger, start: int, forms: list[str], patients_before: list[Trigger], sentence_start: int
) -> bool:
    """'The EEG of his brother (was epileptic)', 'the brain MRI of her sister (showed ...)': the statement opens with
    something of someone's relative, and what follows is said of it. Not a person named by a relation ("a girl of
    consanguineous parents", "the first child of his parents") nor a pregnancy ("the pregnancy of his mother was
    complicated by ...": the patient's), nor an event of the relative's that led to the finding ("the death of his
    father was followed by depression", "the loss of his mother had caused anxiety": the patient's)."""
    subject = forms[sentence_start:of]
    verb = t.end + (t.end < len(forms) and forms[t.end] == "also")
    return (
        1 <= len(subject) <= 3
        and verb < len(forms) and (forms[verb] in _VERBS or forms[verb] in _HAVING)  # not "exposure of his mother to"
        and not any(w in _LEADING_TO or w in POSSESSIVES for w in forms[verb + 1 : start])
        and all(w in KIN_QUALIFIERS or w in POSSESSIVES for w in forms[of + 1 : t.start])
        and forms[of + 1] in POSSESSIVES
        and not any(w in _PREGNANCY or w in _GOVERNING for w in subject)
        and not any(sentence_start <= p.start < of for p in patients_before)
    )


# Words after "the X of his relative <verb>" that make the finding a consequence of X, not a part of it ("the death
# of his father was followed by depression"; not "was due to cardiomyopathy", "was preceded by dementia": his).
_LEADING_TO = frozenset((
    "followed", "caused", "causing", "triggered", "triggering", "led", "leading", "resulted", "resulting",
    "prompted", "precipitated", "provoked", "him",
))


def _kin_of_patient(t: Trigger, forms: list[str], first: int) -> bool:
    """'both parents', 'his 2 sisters', 'two maternal aunts': counted relatives of the patient, not the patients."""
    return forms[t.start] in _PARENTS or not _KIN_OF.isdisjoint(forms[first : t.start])


# Verbs by which relatives tell of the patient ("the parents report poor sleep"), not of themselves.
# ("his mother was noted to have ..." is hers: passive "noted"/"observed" are not listed.)
_REPORTING = frozenset((
    "report", "reports", "describe", "describes", "described", "notice", "noticed", "recall", "recalls",
    "recalled", "mention", "mentioned", "say", "says", "said", "worry", "worried", "concerned",
))
# What relatives have (not) seen of the patient, said actively: "have not seen", "has witnessed" (not the passive
# "his mother was seen in clinic with ptosis", nor "his mother has seen a neurologist").
_WITNESSING = frozenset(("seen", "observed", "witnessed"))
# Prepositions that make a relative the object of a phrase ("born to", "the son of"), not the one who has a finding.
_GOVERNING = frozenset(("to", "of", "from", "by"))
# Words that join the patient and a relative into one subject ("he and his mother", "the boy as well as his
# older brother", "he and his two brothers", "he, like his father, ..." - commas are not words here); any other word between (a verb, a finding, "whose") means the relative heads a clause of its own.
_GENERATIONS = frozenset(("i", "ii", "iii", "iv", "v", "vi"))  # a pedigree's generations, before the person's number
_JOINED_SUBJECT = KIN_QUALIFIERS | frozenset((
    "and", "his", "her", "their", "the", "both", "also", "as", "well", "affected", "like", "together", "with", "two",
    "three", "four", "five", "six", "2", "3", "4", "5", "6", "other", "all",
))
_PREGNANCY = frozenset(("pregnancy", "pregnancies", "gestation", "labor", "labour", "delivery", "womb", "uterus"))


def _in_relative(t: Trigger, forms: list[str], start: int, end: int) -> bool:
    """'... cataracts were also seen in his mother', 'ataxia also affects the son of his sister'. Not where the
    patient is named by the relation right after the finding ("he is the hypotonic son of first cousin parents",
    "the preterm twin of a healthy brother"): an "of" joining that relation word to a relative who is nobody's
    ("first cousin parents") or after a copula ("he is the hypotonic son of her sister") is not the finding's."""
    # the relation word right after the finding, or its last word ("preterm twin" names Premature birth)
    relation = next((k for k in (end, end - 1) if k < len(forms) and forms[k] in RELATIVE_FIRST_WORDS), None)
    copula = not COPULAS.isdisjoint(forms[max(0, start - 3) : start])
    for k in range(max(end, t.start - 3), t.start):
        if forms[k] == "in":
            # "ptosis, as in his father", "as seen in his mother": the patient's, shared with the relative
            return "as" not in forms[max(end, k - 2) : k]
        if forms[k] == "of":
            if relation is None or k != relation + 1:
                return True
            if forms[k + 1] in POSSESSIVES and not copula:
                return True  # "the hypotonic son of his sister": his nephew
    return False
