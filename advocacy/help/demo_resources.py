"""The help library's demo resources (`flask seed-demo`), written for this project.

Plain and accurate in general terms, for the United States; laws and programs change, so
each one sends the reader to a lawyer, a caseworker or an official page for their case.
No phone number appears here: the crisis lines come from the settings (CRISIS_LINES) and
show at the top of the library. Outside links are official pages only.
"""

from __future__ import annotations

from advocacy.help.services import ResourceDetails

VACATUR = """Many states have laws that let a survivor ask a court to **vacate** a conviction: \
to cancel it because it happened as a result of being trafficked. Prostitution-related \
charges are the most common, and some states also cover other offences, such as theft, \
drug possession or using false documents, when the trafficker forced them.

A vacated conviction is not the same as a sealed one. Sealing hides a record from most \
people; vacating says the conviction should not stand at all. Some states offer \
**expungement** instead, which erases the record.

What usually helps:

- a list of your convictions, with the court and the year (a lawyer can find them for you);
- anything that shows what was happening to you then, such as letters from a caseworker, \
a therapist or a service provider;
- a lawyer. Many legal aid groups take these cases for free.

In many states you do not need to have reported the trafficking to the police first. The \
rules, the offences covered and the deadlines differ from state to state, and most of \
these laws cover state convictions only: federal convictions are harder to clear.

Ask staff for a referral to a lawyer who knows your state's law."""

T_VISA = """The **T visa** (T nonimmigrant status) is for people who are in the United \
States because they were trafficked. It lets you live and work here legally for up to \
four years, and it can lead to a green card.

In general you need to show that:

- you are or were a victim of a severe form of trafficking;
- you are in the United States, or at a port of entry, because of the trafficking;
- you have helped, or will help, law enforcement with reasonable requests. This does not \
apply if you were under 18, or if trauma makes it impossible;
- you would suffer extreme hardship if you had to leave.

You apply with USCIS Form I-914, and there is no fee for it. Some family members can be \
included. After three years in T status, or sooner if the investigation or case is \
finished, you can usually apply for a green card.

Talk to an immigration lawyer or an accredited representative **before** you apply, and \
be careful of anyone called a *notario* who offers to file papers for you: they are not \
lawyers in the United States."""

T_VISA_ES = """La **visa T** es para personas que están en los Estados Unidos porque \
fueron víctimas de trata. Le permite vivir y trabajar aquí legalmente hasta cuatro años, y \
puede llevar a la residencia permanente (green card).

En general hay que mostrar que:

- usted es o fue víctima de una forma grave de trata;
- está en los Estados Unidos por causa de la trata;
- ha ayudado o ayudará a las autoridades cuando se lo pidan de forma razonable (no se \
exige si era menor de 18 años o si el trauma se lo impide);
- sufriría un daño extremo si tuviera que irse.

La solicitud es el formulario I-914 de USCIS y no tiene costo. Hable con un abogado de \
inmigración **antes** de solicitarla, y tenga cuidado con los *notarios*: en los Estados \
Unidos no son abogados."""

SHELTER = """If you need somewhere safe to sleep tonight, you have options, even without \
documents or money.

- **Emergency shelters** give a bed for a night or a few weeks.
- **Domestic violence shelters** often take survivors of trafficking too, and keep their \
address private.
- **Shelters for survivors of trafficking** exist in some cities; the hotline at the top \
of this page can tell you what is near you, day or night.

When you call, you can ask whether the shelter is safe for your situation, whether you \
can bring children or a pet, and whether they have staff who speak your language. You \
don't have to tell your whole story to get a bed."""

HOUSING = """Once you are safe for now, a caseworker can help you find somewhere to stay \
for longer. Programs to ask about:

- **transitional housing** for survivors, usually for up to two years, with support;
- **rapid rehousing**, which helps with a deposit and a few months of rent;
- **public housing and housing vouchers**, which have long waiting lists, so it helps to \
apply early.

In Kings County, ask our staff for a referral to a housing caseworker. Bring what you \
have: an ID if you have one, any letters about your income or benefits, and a way for \
them to reach you that is safe."""

HEALTH = """You can see a doctor even without insurance or documents.

- **Community health centers** charge on a sliding scale, based on what you earn, and \
treat people whatever their immigration status.
- **Emergency rooms** must check and stabilize anyone with an emergency, whether or not \
they can pay.
- Adults who receive a **certification letter** from the U.S. Department of Health and \
Human Services can get benefits, such as health coverage, in the same way as refugees. \
Ask a caseworker or lawyer whether this applies to you.

You can ask for a doctor of the gender you prefer, for an interpreter, and for someone \
to be with you during an exam."""

MIND = """After trauma, it is common to have trouble sleeping, to feel on edge or numb, \
to have memories come back suddenly, or to find it hard to trust people. These are \
normal reactions to what happened, not a sign that something is wrong with you.

Things that can help:

- **trauma-informed therapy**, with someone trained to go at your pace;
- **peer support**, with people who have been through something similar;
- small routines: sleep, food, time outside, the grounding exercise in this library.

You can ask a therapist how they work with trauma, whether they have worked with \
survivors of trafficking, and what it costs. It is fine to try someone and then change."""

SAFETY_PLAN = """A safety plan is a short list of what you will do if you feel in danger. \
It changes as your life changes, so come back to it.

- **People:** one or two people you trust, and a code word that means "I need help".
- **Documents:** copies of your ID, immigration papers and important numbers, kept \
somewhere the person who hurt you can't reach.
- **A bag:** medicine, a charger, some money, a change of clothes, if it is safe to keep one.
- **Places:** where you could go at short notice, and how you would get there.
- **Your phone:** see "Keeping your phone and accounts private" in this library.

A caseworker or an advocate can make a plan with you. You don't have to do it alone."""

PHONE = """If someone else has had your phone, or knows its passcode, they may be able to \
see what you do on it.

- Change your phone's passcode, and your passwords, from a device you trust.
- Turn off **location sharing** in your phone's settings and in apps like maps and chat.
- Look for apps you don't recognise, and for accounts signed in on other devices.
- Turn on a second step for signing in (an authenticator app) where you can.
- Use a private window for sites like this one, and the **Quick exit** button at the top.

If you think you are being watched, changing things suddenly can alert the person \
watching. An advocate can help you decide what is safe to change, and when."""

WORK = """With a T visa, or while your application is waiting in some cases, you can get \
an **employment authorization document** (a work permit). A lawyer can tell you when you \
can apply.

Looking for work after what you have been through takes courage. Some things that help:

- job training programs, which often pay or help with transport;
- a résumé that lists skills you have, including those from any work you did. You do not \
have to explain gaps or your past to an employer;
- knowing your rights: every worker must be paid at least the minimum wage and can keep \
their own documents.

Ask staff about job training programs and mentors in your area."""

STUDY = """It is never too late to go back to learning.

- If you did not finish high school, you can take a **high school equivalency** test, \
such as the GED. Many adult education classes are free.
- **Community colleges** take adult students and often have help for people starting again.
- T visa holders are among the noncitizens who can apply for **federal student aid** \
(the FAFSA), which includes grants you don't pay back.

Our leadership programs also give a completion letter you can show to schools and \
employers."""

CIRCLES = """Our peer-support circles are small groups led by trained peers and staff. \
You can come to listen without speaking, leave whenever you need to, and use your \
pseudonym only.

Find the next circles on the Events page once you are signed in. The place is shown only \
to people with a place, so no one else can see where the group meets.

If a group feels too big for now, a mentor can talk with you one to one first."""


def resource(title: str, summary: str, category: str, area: str, **rest) -> ResourceDetails:
    """A demo resource in English unless `language` says otherwise."""
    return ResourceDetails(
        title=title,
        summary=summary,
        category=category,
        area=area,
        language=rest.pop("language", "en"),
        **rest,
    )


DEMO_RESOURCES = (
    resource(
        "Clearing convictions that came from being trafficked",
        "Many states let survivors ask a court to vacate convictions for things they were "
        "forced to do. What that means, and how to start.",
        "legal",
        "Statewide",
        body=VACATUR,
        is_public=True,
    ),
    resource(
        "T visa basics",
        "A status for people in the United States because they were trafficked: who can "
        "apply, what it gives, and why to see a lawyer first.",
        "legal",
        "Nationwide",
        body=T_VISA,
        outside_url="https://www.uscis.gov/humanitarian/victims-of-human-trafficking-t-nonimmigrant-status",
        is_public=True,
    ),
    resource(
        "Conceptos básicos de la visa T",
        "Un estatus para personas que están en los Estados Unidos por causa de la trata: "
        "quién puede pedirlo y qué ofrece.",
        "legal",
        "Nationwide",
        language="es",
        body=T_VISA_ES,
        is_public=True,
    ),
    resource(
        "A safe place to stay tonight",
        "Emergency, domestic violence and survivor shelters, and what you can ask when you call.",
        "housing",
        "Nationwide",
        body=SHELTER,
        is_public=True,
    ),
    resource(
        "Housing help for the longer term",
        "Transitional housing, rapid rehousing and vouchers, and how a housing caseworker "
        "can help.",
        "housing",
        "Kings County",
        body=HOUSING,
    ),
    resource(
        "Health care without insurance",
        "Community health centers, emergency care, and the benefits a certification letter "
        "can open.",
        "health",
        "Nationwide",
        body=HEALTH,
        is_public=True,
    ),
    resource(
        "Find a community health center",
        "The official map of health centers that charge by what you earn.",
        "health",
        "Nationwide",
        outside_url="https://findahealthcenter.hrsa.gov/",
        is_public=True,
    ),
    resource(
        "Your mind after trauma",
        "Common reactions to trauma, and the kinds of support that help.",
        "health",
        "Nationwide",
        body=MIND,
        is_public=True,
    ),
    resource(
        "Making a safety plan",
        "A short plan for the people, papers and places you can turn to if you feel in danger.",
        "safety",
        "Nationwide",
        body=SAFETY_PLAN,
        is_public=True,
    ),
    resource(
        "Keeping your phone and accounts private",
        "Passcodes, location sharing and unknown apps, and when changing things could "
        "alert someone.",
        "safety",
        "Nationwide",
        body=PHONE,
        is_public=True,
    ),
    resource(
        "Work permits and a first job",
        "Getting permission to work, job training, and your rights as a worker.",
        "work_study",
        "Nationwide",
        body=WORK,
    ),
    resource(
        "Going back to school",
        "High school equivalency, community college, and student aid for T visa holders.",
        "work_study",
        "Nationwide",
        body=STUDY,
        outside_url="https://studentaid.gov/understand-aid/eligibility/requirements/non-us-citizens",
    ),
    resource(
        "Peer-support circles",
        "Small groups led by trained peers: how they work, and how to find the next one.",
        "peer_support",
        "Kings County",
        body=CIRCLES,
    ),
    resource(
        "The National Human Trafficking Hotline online",
        "The hotline's own site: what it does, in many languages, day and night.",
        "peer_support",
        "Nationwide",
        outside_url="https://humantraffickinghotline.org/",
        is_public=True,
    ),
)
