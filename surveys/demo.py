"""The surveys app's demo content (devtools seed_demo), idempotent. Each area seeds its own part."""


def _seed_authoring() -> None:
    """The questionnaire on practices, its closed 2025 campaign with generated answers, the open 2026 one."""
    from surveys.authoring_demo import seed as seed_authoring

    seed_authoring()


def _seed_answering() -> None:
    pass


def _seed_results() -> None:
    """The 2025 campaign's results, published with a public summary (once)."""
    from members.models import User
    from surveys.authoring_demo import CAMPAIGN_2025, CURATOR, TITLE
    from surveys.models import Campaign
    from surveys.results import campaign_closed, results_publish

    campaign = Campaign.objects.filter(questionnaire__title=TITLE, title=CAMPAIGN_2025).first()
    if campaign is None or campaign.results_published_at is not None or not campaign_closed(campaign):
        return
    if campaign.responses.count() < 5:
        return
    results_publish(
        campaign_id=campaign.pk,
        actor=User.objects.filter(email=CURATOR).first(),
        summary=(
            "Merci aux technicien·nes qui ont répondu à l'enquête 2025 sur les pratiques.\n\n"
            "**L'animation des travaux du conseil** reste le cœur du métier : elle occupe en moyenne plus de la "
            "moitié du temps déclaré. Les tâches confiées par la collectivité hors des missions du conseil "
            "(logistique d'événements, communication générale) pèsent sur une part importante des postes.\n\n"
            "L'intelligence artificielle entre dans le travail, surtout pour les synthèses de contributions et les "
            "comptes rendus. Ces résultats nourriront la journée nationale et l'édition 2026 de l'enquête.\n\n"
            "Les chiffres ci-dessous suivent la règle des petits effectifs : aucun groupe de moins de 5 personnes "
            "n'est décrit."
        ),
        lock_version=None,
    )


def seed() -> None:
    _seed_authoring()
    _seed_answering()
    _seed_results()
