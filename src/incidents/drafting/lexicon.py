"""The words the rules look for: action words by kind, materiel, means, qualifiers of places.

One place for every word list, so that a rule and the list of missed sentences agree on what an
action word is.
"""

from __future__ import annotations

import re

COUNTED_WORDS = {
    "killed": r"killed|killing|killings|kill|dead|died|slain|deaths|martyred|assassinated|executed|"
    r"gunned\s+down|shot\s+dead|neutrali[sz]ed|lost|claimed\s+the\s+lives\s+of|"
    r"eliminated|lost\s+their\s+lives|bod(?:y|ies)\s+of",
    "wounded": r"wounded|wounding|injured|injuring|injuries|hurt",
    "arrested": r"arrested|arrests|arrest|arresting|detained|detaining|detention\s+of|captured|capturing|"
    r"apprehended|taken\s+into\s+custody|rounded\s+up",
    "displaced": r"displaced|displacing|fled|forced\s+to\s+flee|evacuated",
    "materiel_seized": r"seized|seizing|seizure\s+of|confiscated|found|discovered|uncovered|recovered|"
    r"recovery\s+of|"
    r"captured|capturing",
    "materiel_destroyed": r"destroyed|destroying|destruction\s+of|demolished|blew\s+up|blown\s+up|"
    r"dismantled|defused|detonated|burned|torched",
}
COUNTED = {kind: re.compile(rf"\b(?:{words})\b", re.I) for kind, words in COUNTED_WORDS.items()}
ANY_COUNTED = re.compile(rf"\b(?:{'|'.join(COUNTED_WORDS.values())})\b", re.I)

ITEM = re.compile(
    r"\b(?:weapons?|rifles?|guns?|firearms?|arms|pistols?|machine\s+guns?|explosive\s+devices?|explosives?|IEDs?|bombs?|"
    r"ammunition|munitions|rockets?|mortar\s+rounds?|mortars?|shells?|hideouts?|hide-outs?|"
    r"tunnels?|caches?|vehicles?|cars?|motorcycles?|suicide\s+belts?|suicide\s+vests?|dens?|"
    r"camps?|headquarters|depots?|warehouses?|caves?|safe\s*houses?|boats?|drones?|"
    r"landmines?|mines?|grenades?|launchers?|motorbikes?|bicycles?|equipment|rolling\s+stock|supplies|"
    r"materials?|backpacks?|phones?|documents?|generators?|magazines?|cartridges?|torches)\b",
    re.I,
)
MEANS = (
    (re.compile(r"\bdrone\s+strikes?\b", re.I), "drone strike"),
    (
        re.compile(r"\b(?:air\s*strikes?|air\s+raids?|aerial\s+bombardment|bombing\s+raids?)\b", re.I),
        "airstrike",
    ),
    (re.compile(r"\bsuicide\s+(?:bomb(?:ing|er|s)?|attack|vest)s?\b", re.I), "suicide bombing"),
    (
        re.compile(
            r"\b(?:IEDs?|roadside\s+bombs?|improvised\s+explosive|explosive\s+devices?|landmines?)\b", re.I
        ),
        "IED",
    ),
    (re.compile(r"\b(?:shelling|artillery)\b", re.I), "shelling"),
    (re.compile(r"\bmortars?\b", re.I), "mortar"),
    (re.compile(r"\bsnipers?\b", re.I), "sniper fire"),
    (re.compile(r"\bambush(?:es|ed)?\b", re.I), "ambush"),
    (re.compile(r"\braids?\b", re.I), "raid"),
    (re.compile(r"\bclash(?:es|ed)?\b", re.I), "clashes"),
    (re.compile(r"\battacks?\b", re.I), "attack"),
)
LAUNCHED = re.compile(
    r"\b(?:launched|launching|launch\s+of|initiated|began|begun|started|kicked\s+off|commenced|"
    r"got\s+under\s*way|start\s+of)\b",
    re.I,
)
PHASE_ANNOUNCED = re.compile(
    r"\b(?:phase|stage)\b[^.;]{0,60}?\b(?:was|were|has\s+been)\s+(?P<verb>announced)\b", re.I
)
ENDED = re.compile(
    r"\b(?:concluded|ended|completed|wrapped\s+up|came\s+to\s+an\s+end|finished|end\s+of)\b", re.I
)
PHASE_WORD = re.compile(r"\b(?:phase|stage)s?\b", re.I)
OPERATION_WORD = re.compile(r"\b(?:operations?|offensive|campaign)\b", re.I)
NUMBER_WORDS = (  # counts (``counts``), and a phase's number up to ten
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
)
SCALE_WORDS = ("hundred", "thousand", "million")
ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}  # fmt: skip
PHASE_NUMBER = re.compile(
    rf"\b(?:(?P<ordinal>{'|'.join(ORDINAL_WORDS)}|\d+(?:st|nd|rd|th))\s+(?:[\w-]+\s+)?(?:phase|stage)"
    rf"|(?:phase|stage)\s+(?P<number>\d+|{'|'.join(NUMBER_WORDS[1:11])}))\b",
    re.I,
)
CLEARED = re.compile(
    r"\b(?:cleared|clearing|clear|liberated|liberating|liberation\s+of|freed|retook|retaken|recaptured|"
    r"regained|secured|securing|combing|sweeping|purged|cleansed|took\s+control\s+of|"
    r"taken\s+control\s+of|seized\s+control\s+of)\b",
    re.I,
)
THREAT = re.compile(
    r"\b(?:threats?|threatened|threatening|dangerous|insecure|under\s+threat|not\s+(?:yet\s+)?secure)\b", re.I
)
CLAIM = re.compile(
    r"\b(?:(?:brings?|bringing|brought|raises?|raising|raised|puts?|putting|increas(?:es|ed|ing)|pushing|pushed)"
    r"\s+the\s+(?:death\s+)?(?:total|toll|tally|overall|number)"
    r"|(?:death\s+toll|toll|fatalities|casualties|deaths)\b[^.;]{0,90}?\b(?:rose|risen|reached|climbed|increased|stands|stood)\s+(?:to|at)"
    r"|(?:recorded|registered|counted)\s+a\s+total\s+of"
    r"|a\s+total\s+of\b)",
    re.I,
)
STRENGTH = re.compile(
    r"\b(?:(?:put|puts|putting|estimated?|estimates|estimating)\s+the\s+(?:number|strength)\s+of"
    r"|number\s+of\s+(?:remaining\s+)?(?:\w+\s+){0,3}(?:militants|fighters|members)\s+(?:\w+\s+){0,5}(?:is|was|at|stands)"
    r"|(?:militants|fighters|members)\s+(?:remain|still\s+operate|are\s+(?:still|believed|estimated)))\b",
    re.I,
)
CUMULATIVE = re.compile(
    r"\b(?:over|in|during)\s+the\s+(?:past|last)\s+(?:\w+\s+)?(?:weeks|months|years)\b|\bsince\s+the\s+(?:start|beginning|launch)\b"
    r"|\bso\s+far\b|\bto\s+date\b|\bin\s+total\b",
    re.I,
)  # a count over a period: a cumulative total, not one incident
DECLARED = re.compile(
    r"\b(?:declared|declares|declaring|proclaimed|proclaims)\s+(?:the\s+)?(?P<what>[^,.;]+)", re.I
)
REPORTING = re.compile(r"\b(?:announced|said|says|reported|claimed|stated|confirmed|revealed)\b", re.I)
QUALIFIER = re.compile(
    r"(?:(?P<direction>(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?)\s+(?:of\s+)?|(?P<near>near|outside|around)\s+)"
    r"(?:the\s+)?$",
    re.I,
)
MILITANT_NOUNS = re.compile(
    r"\b(?:militants?|fighters?|terrorists?|jihadists?|insurgents?|gunmen|gunman|extremists?|attackers?|"
    r"assailants?|rebels?|bandits?)\b",
    re.I,
)
PEOPLE = re.compile(
    r"\b(?:civilians?|people|persons?|residents?|villagers?|children|women|men|soldiers?|troops|"
    r"policemen|police\s+officers?|officers?|members?|fighters?|militants?|suspects?|terrorists?|"
    r"jihadists?|insurgents?|gunmen|attackers?|assailants?|rebels?|bandits?|families|others|more)\b",
    re.I,
)
ACTION_WORDS = re.compile(
    "|".join(
        pattern.pattern
        for pattern in (ANY_COUNTED, LAUNCHED, ENDED, CLEARED, THREAT, CLAIM, STRENGTH, DECLARED)
    ),
    re.I,
)
