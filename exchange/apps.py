from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "exchange"
    verbose_name = _("Entraide")

    def ready(self):
        from core.header_counts import header_counts_follow
        from exchange import caching, home, journal, messaging, panels, personal_data
        from exchange.models import Conversation, ConversationMember

        caching.connect()  # the cached space and question pages follow every change (exchange.caching)
        messaging.connect()  # what profile pages keep of two members' messaging (exchange.messaging)
        # The header's unread conversations: a member's read state, a conversation's last message (both members).
        header_counts_follow(ConversationMember, lambda membership: [membership.user_id])
        header_counts_follow(Conversation, lambda conversation: conversation.pair.split("-"))
        personal_data.register()
        home.register()
        journal.register()
        panels.register()
