"""Synthetic but plausible content for ``tripartite generate``: member names and codes,
titles and paragraphs in Spanish, English and French, all drawn from one seeded
``random.Random`` so that the same seed always writes the same words.

This is data, not interface: none of it is shown as the site's own text, so it is not
marked for translation (each record carries its own ``language``).
"""

from __future__ import annotations

import random
import string

LANGUAGES = ("es", "en", "fr")

_SYLLABLES = (
    "ka",
    "lo",
    "ve",
    "ri",
    "sa",
    "mon",
    "tor",
    "ba",
    "del",
    "na",
    "qui",
    "zar",
    "el",
    "ga",
    "ru",
    "thi",
    "po",
    "len",
    "ma",
    "dor",
    "vi",
    "sel",
    "ar",
    "ni",
    "co",
    "bel",
)
_ENDINGS = ("ia", "land", "stan", "ador", "ona", "ria", "o", "ea")

REGIONS = ("Americas", "Europe", "Africa and the Middle East", "Asia and the Pacific")

# Theme of a commitment: (English, Spanish, French).
THEMES = (
    ("open contracting", "contrataciones abiertas", "contrats ouverts"),
    ("beneficial ownership", "beneficiarios finales", "bénéficiaires effectifs"),
    ("access to information", "acceso a la información", "accès à l'information"),
    ("civic space", "espacio cívico", "espace civique"),
    ("fiscal openness", "apertura fiscal", "ouverture budgétaire"),
    ("anti-corruption", "anticorrupción", "lutte contre la corruption"),
    ("open justice", "justicia abierta", "justice ouverte"),
    ("extractive industries", "industrias extractivas", "industries extractives"),
    ("public service delivery", "servicios públicos", "services publics"),
    ("digital governance", "gobernanza digital", "gouvernance numérique"),
    ("climate and environment", "clima y medio ambiente", "climat et environnement"),
    ("gender and inclusion", "género e inclusión", "genre et inclusion"),
)

_VERBS = {
    "en": ("Publish", "Strengthen", "Create", "Open", "Monitor", "Improve"),
    "es": ("Publicar", "Fortalecer", "Crear", "Abrir", "Monitorear", "Mejorar"),
    "fr": ("Publier", "Renforcer", "Créer", "Ouvrir", "Suivre", "Améliorer"),
}
_OBJECTS = {
    "en": ("data on", "a public registry of", "citizen oversight of", "a portal for"),
    "es": ("datos sobre", "un registro público de", "la vigilancia ciudadana de", "un portal de"),
    "fr": ("des données sur", "un registre public de", "le contrôle citoyen de", "un portail de"),
}
_SENTENCES = {
    "en": (
        "The forum reviewed the progress of the commitment and agreed on next steps.",
        "Civil society organisations asked for the data to be published in open formats.",
        "The responsible institution reported delays caused by budget constraints.",
        "The oversight body recommended an independent audit of the results.",
        "Public consultations were held in three regions with broad participation.",
        "The government published the first dataset and a methodology note.",
    ),
    "es": (
        "El foro revisó el avance del compromiso y acordó los siguientes pasos.",
        "Las organizaciones de la sociedad civil pidieron publicar los datos en formatos abiertos.",
        "La institución responsable informó retrasos por restricciones presupuestarias.",
        "El órgano garante recomendó una auditoría independiente de los resultados.",
        "Se realizaron consultas públicas en tres regiones con amplia participación.",
        "El gobierno publicó el primer conjunto de datos y una nota metodológica.",
    ),
    "fr": (
        "Le forum a examiné l'avancement de l'engagement et convenu des prochaines étapes.",
        "Les organisations de la société civile ont demandé des données en formats ouverts.",
        "L'institution responsable a signalé des retards dus aux contraintes budgétaires.",
        "L'organe de contrôle a recommandé un audit indépendant des résultats.",
        "Des consultations publiques ont eu lieu dans trois régions avec une large participation.",
        "Le gouvernement a publié un premier jeu de données et une note méthodologique.",
    ),
}
_LETTER_SUBJECTS = {
    "en": ("Request for information on", "Concerns about", "Follow-up on", "Invitation to discuss"),
    "es": (
        "Solicitud de información sobre",
        "Preocupaciones sobre",
        "Seguimiento de",
        "Invitación a dialogar sobre",
    ),
    "fr": (
        "Demande d'information sur",
        "Préoccupations concernant",
        "Suivi de",
        "Invitation à discuter de",
    ),
}
_MEETING = {"en": "Forum session", "es": "Sesión del foro", "fr": "Séance du forum"}
_PLAN = {
    "en": "National Action Plan",
    "es": "Plan de Acción Nacional",
    "fr": "Plan d'action national",
}
_DELIVERABLE = {"en": "Deliverable", "es": "Entregable", "fr": "Livrable"}
_THEME_INDEX = {"en": 0, "es": 1, "fr": 2}


class Words:
    """Every piece of generated text, from one seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def member_codes(self, count: int) -> list[str]:
        """``count`` distinct two-letter codes (OGP ids are ``<CODE><number>``)."""
        pairs = [a + b for a in string.ascii_uppercase for b in string.ascii_uppercase]
        if count > len(pairs):
            raise ValueError(f"at most {len(pairs)} members")
        return self.rng.sample(pairs, count)

    def member_name(self) -> str:
        parts = self.rng.randint(2, 3)
        stem = "".join(self.rng.choice(_SYLLABLES) for _ in range(parts))
        return (stem + self.rng.choice(_ENDINGS)).capitalize()

    def theme(self, language: str) -> str:
        return self.rng.choice(THEMES)[_THEME_INDEX[language]]

    def commitment_title(self, language: str) -> str:
        verb = self.rng.choice(_VERBS[language])
        obj = self.rng.choice(_OBJECTS[language])
        return f"{verb} {obj} {self.theme(language)}"

    def plan_title(self, language: str, number: int, start: int, end: int) -> str:
        return f"{_PLAN[language]} {number} ({start}-{end})"

    def deliverable(self, language: str, number: int) -> str:
        return f"{_DELIVERABLE[language]} {number}: {self.commitment_title(language).lower()}"

    def paragraph(self, language: str, sentences: int = 3) -> str:
        return " ".join(self.rng.choice(_SENTENCES[language]) for _ in range(sentences))

    def paragraphs(self, language: str, count: int) -> str:
        return "\n\n".join(self.paragraph(language, self.rng.randint(2, 5)) for _ in range(count))

    def letter_subject(self, language: str) -> str:
        return f"{self.rng.choice(_LETTER_SUBJECTS[language])} {self.theme(language)}"

    def meeting_title(self, language: str, number: int) -> str:
        return f"{_MEETING[language]} {number}"
