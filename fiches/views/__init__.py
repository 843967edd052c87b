"""The fiche pages, one module per area; fiches/urls.py routes to them.

reading: the fiche and its sections · editing: direct changes by the CNCD team · suggestions:
proposing, supporting and deciding · discussion: comments and their moderation · history: revisions,
comparisons, activity · versions: published versions and PDFs · notifications: following and being
told · personal: "ma fiche de poste".
"""
