"""A generated corpus of news-like articles (~600 words) for benchmarks: deterministic for a given seed.

Each article mixes event sentences (strikes, clashes, talks, protests, arrests, aid, sanctions …) with the
background, quotes and context paragraphs real reports carry, so the share of sentences that need parsing is
realistic rather than 100 %.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

COUNTRIES = [("Pakistan", "Pakistani", "Islamabad"), ("Iran", "Iranian", "Tehran"), ("India", "Indian", "New Delhi"),
             ("Israel", "Israeli", "Jerusalem"), ("Lebanon", "Lebanese", "Beirut"), ("Sudan", "Sudanese", "Khartoum"),
             ("Ethiopia", "Ethiopian", "Addis Ababa"), ("Kenya", "Kenyan", "Nairobi"), ("Somalia", "Somali", "Mogadishu"),
             ("Nigeria", "Nigerian", "Abuja"), ("Mali", "Malian", "Bamako"), ("Ukraine", "Ukrainian", "Kyiv"),
             ("Russia", "Russian", "Moscow"), ("Colombia", "Colombian", "Bogota"), ("Myanmar", "Myanmar", "Naypyitaw"),
             ("Syria", "Syrian", "Damascus"), ("Yemen", "Yemeni", "Sanaa"), ("Turkey", "Turkish", "Ankara")]
TOWNS = ["Quetta", "Zahedan", "Kherson", "Goma", "Timbuktu", "Maiduguri", "Kismayo", "Mekelle", "Aleppo", "Hodeidah",
         "Sittwe", "Cali", "Tyre", "El Fasher", "Gao", "Kharkiv", "Jenin", "Peshawar", "Herat", "Bunia"]
GROUPS = ["militants", "rebels", "insurgents", "gunmen", "separatist fighters", "armed men"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMS = ["two", "three", "five", "seven", "nine", "12", "at least 15", "dozens of", "more than 20", "four"]

EVENT_SENTENCES = [
    "{adj} forces launched air strikes on {group} positions near {town} on {day}, killing {num} people.",
    "{group_cap} attacked a police checkpoint in {town} on {day}, officials said.",
    "The {adj} army said it had killed {num} {group} in clashes outside {town}.",
    "Thousands of protesters marched through {capital} on {day} to demand the release of detained activists.",
    "Police arrested {num} people after the demonstration turned violent in {town}.",
    "{country} and {country2} agreed to resume talks on border security, the foreign ministry said.",
    "The {adj} foreign minister met his {adj2} counterpart in {capital2} on {day}.",
    "{country} recalled its ambassador from {capital2} in protest at the shelling.",
    "The United Nations called for an immediate ceasefire and urged both sides to show restraint.",
    "{country} imposed new sanctions on {adj2} officials accused of backing the {group}.",
    "Aid agencies delivered food and medicine to {num} families displaced by the fighting near {town}.",
    "{adj} troops were deployed along the border with {country2} after the attack.",
    "A roadside bomb struck a military convoy near {town}, wounding {num} soldiers.",
    "{country} accused {country2} of sheltering the {group} behind the raids.",
    "The {adj} president threatened to retaliate if the attacks continued.",
    "Kidnappers seized {num} aid workers on the road to {town} on {day}.",
]
BACKGROUND = [
    "The region has long been one of the poorest in the country, with high unemployment and few paved roads.",
    "Analysts say the economy has struggled since the collapse of commodity prices two years ago.",
    "Residents described long queues for fuel and bread in the markets of {town}.",
    "The province is rich in minerals, and several foreign companies hold mining concessions there.",
    "Local elections are scheduled for later in the year, and campaigning has been subdued.",
    "\"We have seen nothing like this for a decade,\" said a shopkeeper who gave only his first name.",
    "The border crossing handles most of the trade between the two neighbours.",
    "Mobile phone coverage in the mountains is patchy, making casualty figures hard to confirm.",
    "Schools in {town} reopened last month after a long closure.",
    "The river floods most summers, and the harvest this year was poor.",
    "Officials did not respond to requests for comment on Wednesday evening.",
    "Independent journalists have limited access to the area.",
]


def article(rng: random.Random, words: int = 600) -> str:
    paras, n = [], 0
    while n < words:
        para = []
        for _ in range(rng.randint(2, 4)):
            c1, c2 = rng.sample(COUNTRIES, 2)
            pool = EVENT_SENTENCES if rng.random() < 0.45 else BACKGROUND
            group = rng.choice(GROUPS)
            s = rng.choice(pool).format(
                adj=c1[1], adj2=c2[1], country=c1[0], country2=c2[0], capital=c1[2], capital2=c2[2],
                town=rng.choice(TOWNS), day=rng.choice(DAYS), num=rng.choice(NUMS), group=group,
                group_cap=group.capitalize())
            para.append(s)
            n += len(s.split())
        paras.append(" ".join(para))
    return "\n\n".join(paras)


def write_corpus(path: Path, n: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"bench-{i}", "text": article(rng), "published": "2024-03-0%dT08:00:00Z"
                                 % (1 + i % 9), "source": f"Bench Wire {i % 5}"}) + "\n")
    return path
