"""French news-like stories for the watch tests, and a site serving them through a feed."""

from __future__ import annotations

from tests.helpers.site import Site, page

A1 = ["Le conseil municipal de Lorient a voté mardi soir un budget de 12 millions d'euros pour la rénovation "
      "des écoles.",
      "« Nous avons fait le choix de l'éducation », a déclaré la maire, Sophie Le Guen, à l'issue de la séance.",
      "Les travaux doivent commencer en septembre 2027 dans six établissements de la ville."]
A2 = [A1[0].replace("12 millions", "15 millions")] + A1[1:]  # the figure corrected
B1 = ["La préfecture du Morbihan a annoncé lundi la fermeture de deux lignes de bus scolaires à la rentrée.",
      "Selon le syndicat des transporteurs, la décision concerne près de 400 élèves des communes rurales.",
      "Les parents d'élèves ont prévu de manifester samedi devant la préfecture."]
B2 = B1 + ["Le ministère des Transports a démenti toute coupe budgétaire dans le financement des lignes "
           "scolaires."]  # a denial added
C1 = ["Le festival Interceltique a accueilli cet été plus de 800 000 visiteurs, selon les organisateurs.",
      "« La Bretagne reste une terre d'accueil », a affirmé le directeur du festival, Jean-Paul Riou.",
      "La prochaine édition aura lieu du 1er au 10 août 2027 sur les quais du port."]

STORIES = {"/a.html": ("Budget des écoles", A1), "/b.html": ("Bus scolaires", B1), "/c.html": ("Festival", C1)}


def news_site(chrome: str = "Mis à jour à 08:00") -> Site:
    """A site (not started) with the three stories and ``/feed.xml`` listing them."""
    site = Site()
    for path, (title, paragraphs) in STORIES.items():
        site.put(path, page(title, paragraphs, chrome))
    site.feed("/feed.xml", [(title, path) for path, (title, _) in STORIES.items()])
    return site
