"""A demo service directory for County Durham and Darlington (fictional providers)."""

from __future__ import annotations

from checkpoint.models import Pathway, ServiceProvider

# name, pathways, women_only, veteran_specific, phone, description
PROVIDERS = [
    (
        "Wearside Recovery Partnership",
        ["drugs", "alcohol"],
        False,
        False,
        "0191 496 0101",
        "Structured drug and alcohol treatment, group work and one-to-one key work.",
    ),
    (
        "Tees Valley Alcohol Service",
        ["alcohol"],
        False,
        False,
        "01325 960 202",
        "Alcohol brief interventions and a six-week awareness course.",
    ),
    (
        "Riverside Women's Centre",
        ["mental-health", "domestic-abuse", "family", "finance", "exploitation"],
        True,
        False,
        "0191 496 0303",
        "Women-only support: wellbeing groups, domestic abuse advocacy, benefits advice.",
    ),
    (
        "Durham Veterans Peer Support",
        ["veterans", "mental-health", "accommodation"],
        False,
        True,
        "0191 496 0404",
        "Peer mentoring by ex-service personnel; links to armed forces charities.",
    ),
    (
        "Homefinder Durham",
        ["accommodation"],
        False,
        False,
        "0191 496 0505",
        "Housing options, tenancy sustainment and emergency accommodation referrals.",
    ),
    (
        "Pathways to Work North East",
        ["ete"],
        False,
        False,
        "0191 496 0606",
        "Employability coaching, CV workshops and training placements.",
    ),
    (
        "Citizens Money Advice",
        ["finance"],
        False,
        False,
        "0191 496 0707",
        "Debt advice, budgeting and benefit checks.",
    ),
    (
        "Talking Minds Durham",
        ["mental-health"],
        False,
        False,
        "0191 496 0808",
        "Talking therapies: anxiety and low mood, six to twelve sessions.",
    ),
    (
        "Healthy Lives GP Link",
        ["physical-health"],
        False,
        False,
        "0191 496 0909",
        "Registration with a GP, health checks and smoking cessation.",
    ),
    (
        "Families Together",
        ["family"],
        False,
        False,
        "01325 960 110",
        "Parenting support and family mediation; help for children affected.",
    ),
    (
        "Choices & Consequences",
        ["attitudes"],
        False,
        False,
        "0191 496 1111",
        "Victim awareness and consequential thinking course (four sessions).",
    ),
    (
        "Harbour Domestic Abuse Service",
        ["domestic-abuse"],
        False,
        False,
        "0191 496 1212",
        "Support for victims; behaviour-change work for perpetrators.",
    ),
    (
        "Safe Exit Project",
        ["exploitation"],
        True,
        False,
        "0191 496 1313",
        "Women-only support for women involved in sex work or exploited.",
    ),
    (
        "Forces Families North",
        ["veterans", "family"],
        False,
        True,
        "01325 960 114",
        "Support for veterans and their families in the transition to civilian life.",
    ),
    (
        "Darlington Community Garden",
        ["ete"],
        False,
        False,
        "01325 960 115",
        "Volunteering placements, also used for community hours.",
    ),
]


def ensure_directory() -> list[ServiceProvider]:
    """Create or update the demo providers (idempotent)."""
    pathways = {p.code: p for p in Pathway.objects.all()}
    providers = []
    for name, codes, women, veteran, phone, description in PROVIDERS:
        provider, _ = ServiceProvider.objects.update_or_create(
            name=name,
            defaults={
                "women_only": women,
                "veteran_specific": veteran,
                "phone": phone,
                "description": description,
                "active": True,
                "email": f"referrals@{name.split()[0].lower()}.example",
            },
        )
        provider.pathways.set([pathways[c] for c in codes])
        providers.append(provider)
    return providers
