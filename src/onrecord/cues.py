"""The words that introduce reported speech or writing, by lemma.

Kept as data so that a reviewer can read the whole lexicon at once. Grouped by how the
content attaches, because that decides how quotes.py finds it.
"""

# Verbs whose clausal complement is what the source said or wrote ("X said (that) ...",
# "..., X told reporters"). Beliefs and feelings (think, believe, hope, fear) are left out on
# purpose: the annotation guidelines count them only when a speech act is stated.
SPEECH_VERBS = frozenset(
    """
say tell add state announce warn insist deny claim confirm explain argue reply respond
write tweet post note stress emphasise emphasize declare assert maintain allege admit
acknowledge reveal disclose indicate suggest predict forecast estimate report recommend
comment remark observe caution complain concede contend counter testify reiterate repeat
underline highlight point continue conclude agree answer assure promise pledge vow
urge demand propose proclaim boast lament mention recall acknowledge quip retort
cite dispute charge accuse threaten brief inform advise notify specify clarify
reason theorize theorise speculate chant read
""".split()
)

# Verbs that may carry a quoted fragment as object or predicate ("dismissing the allegations
# as "lies"", "called the ruling "dangerous"") without a clausal complement: mixed quotes.
FRAGMENT_VERBS = SPEECH_VERBS | frozenset(
    """
call describe dismiss label brand term refer characterize characterise praise criticize
criticise condemn slam hail blast welcome question ask thank express vow defend
""".split()
)

# "calls" in a relative clause ("what Beijing calls "camps"") names a thing; it is not speech.
NAMING_VERBS = frozenset("call term dub nickname name title style know define".split())

# Nouns that head a report of speech: "a report in X that ...", "his claim that ...".
SPEECH_NOUNS = frozenset(
    """
report statement claim announcement allegation assertion remark comment warning
suggestion insistence argument message note tweet post letter declaration testimony
""".split()
)

# Role words: a definite description with one of these as head refers to a person
# ("the spokesman", "the UN rights office official").
ROLE_NOUNS = frozenset(
    """
spokesman spokeswoman spokesperson official minister president chief leader director
secretary chairman chairwoman chair head governor mayor premier senator commissioner
ambassador envoy general commander officer prosecutor judge lawyer attorney expert
analyst professor researcher scientist doctor author editor executive ceo founder
manager coach captain player actor singer witness victim suspect candidate diplomat
representative lawmaker legislator congressman congresswoman mp deputy king queen
prince princess pope bishop cardinal priest imam rabbi activist campaigner organiser
organizer economist adviser advisor aide negotiator councillor councilor sheriff
chancellor taoiseach sergeant inspector superintendent administrator coordinator
""".split()
)

# Heads that stand for an organisation's or a country's voice ("the Chinese government").
GOVERNMENT_NOUNS = frozenset("government authorities administration ministry regime cabinet state".split())

PRONOUNS = {
    "he": "PERSON",
    "him": "PERSON",
    "she": "PERSON",
    "her": "PERSON",
    "it": "ORG",
    "they": "ORG",
    "them": "ORG",
}

# Words that are part of how a person is introduced, never of the name itself.
TITLES = frozenset(
    """
mr mr. mrs mrs. ms ms. miss dr dr. prof prof. sir dame lord lady rev rev. gen gen. col col.
sen sen. rep rep. gov gov. pres pres. president minister prime premier chancellor king
queen prince princess pope saint st st. judge justice mayor governor senator secretary
""".split()
)
