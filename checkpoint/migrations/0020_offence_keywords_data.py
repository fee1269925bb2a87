"""The words people use for the catalogue's offences, so the offence picker finds "shoplifting",
"cannabis" or "drink driving" (issue 16, point 10). Reversible: the reverse empties the field."""

from django.db import migrations

KEYWORDS = {
    "THEFT-SHOP": "shoplifting, shop theft, stealing from a shop, retail theft",
    "THEFT-OTHER": "stealing, pickpocketing, bike theft, bicycle theft, theft from a car",
    "BURGLARY-COM": "break-in, breaking in, shed, garage, business premises, commercial",
    "HANDLING": "receiving stolen goods, stolen property, fencing",
    "MAKING-OFF": "bilking, drive-off, fuel, not paying, dine and dash, taxi fare",
    "FRAUD-FALSE-REP": "scam, deception, card fraud, stolen bank card, false details",
    "CRIM-DAMAGE": "vandalism, graffiti, damage, broken window, smashed, keyed a car",
    "COMMON-ASSAULT": "assault, battery, hitting, punching, slapping, pushing, spitting, fight",
    "ABH": "assault, actual bodily harm, injury, beating, fight",
    "ASSAULT-EMERG": "assault on police, police officer, emergency worker, paramedic, nurse, "
    "prison officer, spitting at police",
    "POSS-B": "cannabis, weed, skunk, marijuana, ketamine, amphetamine, speed, drugs, "
    "drug possession",
    "POSS-A": "cocaine, crack, heroin, MDMA, ecstasy, LSD, drugs, drug possession",
    "PO-S4": "public order, threats, threatening, fear of violence, section 4",
    "PO-S4A": "public order, intentional harassment, section 4A",
    "PO-S5": "public order, swearing, abusive language, disorderly behaviour, section 5",
    "DRUNK-DISORDERLY": "drunk, drunkenness, alcohol, disorderly, drunk in public",
    "HARASSMENT": "pestering, unwanted contact, repeated calls, harassing",
    "MALICIOUS-COMMS": "threatening messages, abusive messages, texts, social media, "
    "online abuse, trolling",
    "BLADED-ARTICLE": "knife, knife crime, blade, carrying a knife, lock knife",
    "OFFENSIVE-WEAPON": "weapon, knuckleduster, baseball bat, cosh",
    "PERVERTING": "lying to police, false alibi, giving false details",
    "ROBBERY": "mugging, street robbery, theft with violence",
    "GBH-S20": "GBH, grievous bodily harm, serious assault, wounding, section 20",
    "SEXUAL-ASSAULT": "sexual touching, groping, indecent assault",
    "COERCIVE-CONTROL": "domestic abuse, controlling behaviour, coercive control",
    "ASSAULT-DOMESTIC": "domestic assault, domestic violence, domestic abuse",
    "RA-PUBLIC-ORDER": "racial abuse, racist abuse, hate crime, racially aggravated",
    "DRINK-DRIVE": "drink driving, drunk driving, drink drive, over the limit, DUI, alcohol",
    "NO-INSURANCE": "no insurance, uninsured, driving without insurance",
}


def add_keywords(apps, schema_editor):
    OffenceType = apps.get_model("checkpoint", "OffenceType")
    for code, keywords in KEYWORDS.items():
        # Only where nobody has written their own since (an administrator may edit them).
        OffenceType.objects.filter(code=code, keywords="").update(keywords=keywords)


def remove_keywords(apps, schema_editor):
    OffenceType = apps.get_model("checkpoint", "OffenceType")
    for code, keywords in KEYWORDS.items():
        OffenceType.objects.filter(code=code, keywords=keywords).update(keywords="")


class Migration(migrations.Migration):
    dependencies = [("checkpoint", "0019_add_offence_keywords")]

    operations = [migrations.RunPython(add_keywords, remove_keywords)]
