"""The Atom feed of new works in the vitrine (/vitrine/travaux/flux.atom): public works only."""

import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from core.permissions import public
from showcase.works import latest

FEED_SIZE = 30


class WorksFeed(Feed):
    feed_type = Atom1Feed
    title = _("Vitrine des conseils de développement : nouveaux travaux")
    subtitle = _("Les avis, contributions et rapports publiés par les conseils de développement du réseau.")

    def link(self):
        return reverse("showcase:works")

    def feed_url(self):
        return reverse("showcase:works_feed")

    def items(self):
        return latest(FEED_SIZE)

    def item_title(self, work):
        return f"{work.get_kind_display()} — {work.title}"

    def item_description(self, work):
        return work.summary

    def item_link(self, work):
        return work.get_absolute_url()

    def item_guid(self, work):
        return reverse("showcase:work_short", args=[work.pk])

    def item_pubdate(self, work):
        if work.published_at:
            return work.published_at
        return timezone.make_aware(datetime.datetime.combine(work.issued_on, datetime.time(12)))

    def item_updateddate(self, work):
        return work.updated_at

    def item_author_name(self, work):
        return work.page.council.name

    def item_categories(self, work):
        return [theme.name for theme in work.themes.all()]


# Open to everyone (the feed lists public works only).
works_feed = public(WorksFeed())
