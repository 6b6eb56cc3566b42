"""The words that introduce reported speech or writing, by lemma.

Kept as data so that a reviewer can read the whole lexicon at once. Grouped by how the
content attaches, because that decides how quotes.py finds it.
"""

from . import lexicons

# Verbs whose clausal complement is what the source said or wrote ("X said (that) ...",
# "..., X told reporters"). Beliefs and feelings (think, believe, hope, fear) are left out on
# purpose: the annotation guidelines count them only when a speech act is stated.
SPEECH_VERBS = lexicons.words("speech", "SPEECH_VERBS")

# Verbs that may carry a quoted fragment as object or predicate ("dismissing the allegations
# as "lies"", "called the ruling "dangerous"") without a clausal complement: mixed quotes.
FRAGMENT_VERBS = SPEECH_VERBS | lexicons.words("speech", "FRAGMENT_VERBS")

# "calls" in a relative clause ("what Beijing calls "camps"") names a thing; it is not speech.
NAMING_VERBS = lexicons.words("speech", "NAMING_VERBS")

# Nouns that head a report of speech: "a report in X that ...", "his claim that ...".
SPEECH_NOUNS = lexicons.words("speech", "SPEECH_NOUNS")

# Role words: a definite description with one of these as head refers to a person
# ("the spokesman", "the UN rights office official").
ROLE_NOUNS = lexicons.words("speech", "ROLE_NOUNS")

# Heads that stand for an organisation's or a country's voice ("the Chinese government").
GOVERNMENT_NOUNS = lexicons.words("speech", "GOVERNMENT_NOUNS")
VOICE_NOUNS = lexicons.words("speech", "VOICE_NOUNS")
HEARER_VERBS = lexicons.words("speech", "HEARER_VERBS")


# Words that are part of how a person is introduced, never of the name itself.
TITLES = lexicons.words("speech", "TITLES")
