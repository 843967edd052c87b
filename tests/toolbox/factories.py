"""Resources for the toolbox's tests, built through the services as a member and the team would."""

from toolbox import services
from toolbox.enums import Audience, Hosting, ResourceKind, TemplateKind

KIND_DATA = {
    ResourceKind.METHOD: {
        "purpose": "Faire émerger les idées d'un grand groupe.",
        "group_min": 12,
        "group_max": 60,
        "duration_minutes": 90,
        "materials": "Nappes en papier, feutres.",
        "steps": "1. Accueil\n2. Trois tours de tables\n3. Restitution",
    },
    ResourceKind.REPORT: {
        "territory": "Communauté d'agglomération du Pays de Test",
        "context": "Une saisine sur la mobilité.",
        "actions": "Trois ateliers ouverts.",
        "results": "Un avis adopté et repris.",
        "pitfalls": "Éviter les dates de vacances.",
    },
    ResourceKind.TEMPLATE: {"template_kind": TemplateKind.REFERRAL},
    ResourceKind.TOOL: {
        "tool_url": "https://outil.example.org/",
        "is_ai": True,
        "use_purpose": "Transcrire les enregistrements des séances.",
        "data_flows": "Les enregistrements audio partent chez l'éditeur.",
        "hosting": Hosting.EU,
        "human_part": "La synthèse et les choix restent ceux du technicien.",
        "cost": "Gratuit jusqu'à 10 heures par mois",
        "vigilance": "Demander l'accord des personnes enregistrées.",
    },
    ResourceKind.EXTERNAL: {"url": "https://www.legifrance.gouv.fr/", "publisher": "Légifrance", "year": 2015},
}


def resource_data(kind=ResourceKind.METHOD, **overrides) -> dict:
    data = {
        "title": f"Ressource de test ({kind})",
        "summary": "Une ressource pour les tests.",
        "description": "Une **description** de la ressource.",
        "audience": Audience.MEMBERS,
        **KIND_DATA[kind],
    }
    data.update(overrides)
    return data


def make_resource(
    owner, *, kind=ResourceKind.METHOD, links=(), published_by=None, public=False, council=None, **overrides
):
    """A resource drafted by `owner`; submitted and published by `published_by` when given (public if asked)."""
    data = resource_data(kind, **overrides)
    if public:
        data["audience"] = Audience.PUBLIC
    link_data = [services.LinkData(kind, code, title) for kind, code, title in links]
    resource = services.resource_create(user=owner, kind=kind, data=data, links=link_data, council=council)
    if published_by is not None:
        services.resource_submit(resource_id=resource.pk, user=owner)
        services.resource_publish(resource_id=resource.pk, actor=published_by, make_public=public)
        resource.refresh_from_db()
    return resource
