"""Fictional demo participants with a plausible spread of equality-monitoring answers."""

from __future__ import annotations

import random
from datetime import date, timedelta

from checkpoint.models import Ethnicity, Person, Sex, VeteranStatus

FEMALE = [
    "Amelia",
    "Chloe",
    "Jessica",
    "Sophie",
    "Leah",
    "Megan",
    "Aisha",
    "Zara",
    "Hannah",
    "Kayleigh",
    "Lauren",
    "Stacey",
    "Nicola",
    "Gemma",
    "Priya",
    "Ewa",
    "Bethany",
]
MALE = [
    "Jack",
    "Liam",
    "Connor",
    "Kyle",
    "Daniel",
    "Ryan",
    "Jordan",
    "Callum",
    "Adam",
    "Mohammed",
    "Tomasz",
    "Lewis",
    "Scott",
    "Craig",
    "Dean",
    "Jamal",
    "Reece",
    "Paul",
]
FAMILY = [
    "Robson",
    "Armstrong",
    "Hall",
    "Elliott",
    "Dixon",
    "Charlton",
    "Brown",
    "Wilson",
    "Thompson",
    "Walker",
    "Bell",
    "Scott",
    "Hussain",
    "Ahmed",
    "Nowak",
    "Kowalski",
    "Patel",
    "Khan",
    "Forster",
    "Lamb",
    "Todd",
    "Moffat",
    "Reay",
    "Hodgson",
    "Atkinson",
]

# Weighted roughly towards the North East's population, with every group present.
ETHNICITY_WEIGHTS = [
    (Ethnicity.W1, 80),
    (Ethnicity.W2, 1),
    (Ethnicity.W3, 1),
    (Ethnicity.W9, 4),
    (Ethnicity.M1, 1),
    (Ethnicity.M3, 1),
    (Ethnicity.A1, 1),
    (Ethnicity.A2, 2),
    (Ethnicity.A3, 1),
    (Ethnicity.A4, 1),
    (Ethnicity.B2, 2),
    (Ethnicity.B1, 1),
    (Ethnicity.O1, 1),
    (Ethnicity.NS, 3),
]


def random_person(rng: random.Random, index: int) -> Person:
    sex = rng.choices([Sex.MALE, Sex.FEMALE, Sex.PREFER_NOT_TO_SAY], [70, 28, 2])[0]
    given = rng.choice(FEMALE if sex == Sex.FEMALE else MALE)
    age_days = int(365.25 * rng.choice([18, 19, 20, 21, 22, 23, 24, 26, 29, 33, 38, 45, 52, 61]))
    dob = date(2026, 1, 1) - timedelta(days=age_days + rng.randint(0, 360))
    veteran = rng.choices(
        [VeteranStatus.NO, VeteranStatus.YES, VeteranStatus.PREFER_NOT_TO_SAY], [88, 8, 4]
    )[0]
    ethnicities, weights = zip(*ETHNICITY_WEIGHTS, strict=True)
    sms = rng.random() < 0.6
    return Person(
        given_name=given,
        family_name=rng.choice(FAMILY),
        date_of_birth=dob,
        sex=sex,
        ethnicity=rng.choices(ethnicities, weights)[0],
        veteran_status=veteran,
        mobile=f"07700 900{index % 1000:03d}" if sms else "",
        email=f"participant{index}@example.org" if rng.random() < 0.5 else "",
        sms_reminders=sms,
        postcode=rng.choice(["DH1 1AA", "DL1 5AB", "DH9 7XY", "DL3 6QT"]),
    )
