"""French vocabulary for simulated posts, profiles, headlines and bots."""

from . import Topic

# {a} is an infinitive phrase ("Je viens de {a}")
TEMPLATES = (
    "{o}{s} {p}. {c}{e}",
    "{s} {p} {t}{e}",
    "Je viens de {a}. {c}",
    "Programme {t} : {a}. {c}{e}",
    "{c} {s} {p}.",
    "Avis impopulaire : {s} {p}{e}",
    "Je confirme, {s} {p}. {c}",
    "Rien de tel que de {a} {t}{e}",
    "C'est moi ou {s} {p} ?",
    "J'ai enfin pu {a} ! {c}",
)
OPENERS = ("", "", "", "Bon, ", "Franchement, ", "Sérieusement, ", "Petit rappel : ", "Alors, ", "Bref, ",
           "Spoiler : ", "Mdr ", "Info du jour : ")
ENDINGS = ("", "", "", "", " !", " 😂", " 🙌", " mdr", " ❤️", " 🔥", " 😅", " 🤷", " ptdr", "...")
TIMES = ("aujourd'hui", "ce matin", "hier soir", "ce week-end", "après le boulot", "à la pause déj", "cette semaine",
         "à 2h du mat", "dans le train", "tout l'après-midi")
COMMENTS = ("Je recommande.", "Qui est avec moi ?", "Vos avis ?", "10/10.", "Plus jamais.", "Meilleure décision.",
            "Je sais pas quoi en penser.", "À l'aide.", "Vivement le week-end.", "La vie est belle.",
            "Aucun regret.", "Bref.", "On avance.", "Ça pourrait être pire.", "C'est la base.")

TOPICS = {
    "food": Topic(
        subjects=("ce petit resto du coin", "la tarte de ma grand-mère", "la nouvelle boulangerie",
                  "le pain maison", "le food truck près du bureau", "la raclette", "ce fromage",
                  "le marché du dimanche", "la galette des rois", "le kebab en bas de chez moi"),
        predicates=("vaut vraiment le détour", "ne déçoit jamais", "est encore meilleure que dans mon souvenir",
                    "est largement sous-estimé", "est hors de prix mais j'y retourne", "manque de sel",
                    "me rend heureux", "mérite une étoile"),
        activities=("faire des crêpes pour toute la famille", "rater mon gâteau", "tester le resto japonais",
                    "cuisiner un bœuf bourguignon", "manger trop de fromage", "faire le marché"),
        comments=("Un régal.", "Ma cuisine est un champ de bataille.", "Recette en commentaire.",
                  "Chaque calorie en valait la peine."),
        hashtags=("cuisine", "faitmaison", "gastronomie", "recette", "apéro"),
        links=("https://www.marmiton.org/recettes/recette_{id}.aspx", "https://www.youtube.com/watch?v={id}",
               "https://www.instagram.com/p/{id}/"),
    ),
    "sports": Topic(
        subjects=("la deuxième mi-temps", "notre défense", "cet arbitre", "la nouvelle recrue", "la séance de tirs au but",
                  "cette saison", "le derby", "le coach", "le maillot extérieur"),
        predicates=("me donne des sueurs froides", "était une honte", "est la meilleure chose qui soit arrivée au club",
                    "doit être revue à la vidéo", "mérite plus de respect", "se joue jusqu'au bout", "est du pur cinéma"),
        activities=("regarder le match en famille", "perdre ma voix au stade", "veiller pour la finale",
                    "jouer au foot sous la pluie", "prendre un abonnement au stade"),
        comments=("Quel match.", "Je ne peux plus regarder ça.", "On y retourne.", "Le foot est cruel."),
        hashtags=("football", "Ligue1", "EURO2020", "rugby", "TourDeFrance"),
        links=("https://www.lequipe.fr/Football/Actualites/{id}", "https://www.youtube.com/watch?v={id}"),
    ),
    "tech": Topic(
        subjects=("la nouvelle mise à jour", "la batterie de mon ordi", "cette bibliothèque open source",
                  "le wifi du bureau", "le mode sombre", "la dernière démo d'IA", "la refonte de l'appli"),
        predicates=("est une vraie amélioration", "a encore tout cassé", "est étonnamment bien", "tient deux heures",
                    "m'a fait gagner une semaine", "est surcotée", "plante sans arrêt"),
        activities=("livrer une version un vendredi", "tout réécrire en Rust", "passer sous Linux", "monter mon PC",
                    "vider ma boîte mail"),
        comments=("Plus jamais de mise en prod le vendredi.", "Chez moi ça marche.", "La tech, c'est dur."),
        hashtags=("tech", "IA", "dev", "opensource", "numérique"),
        links=("https://github.com/{id}", "https://www.numerama.com/tech/{id}.html", "https://www.01net.com/actualites/{id}.html"),
    ),
    "music": Topic(
        subjects=("cet album", "le premier titre", "la version live", "le nouveau single", "la programmation du festival",
                  "cette playlist", "le refrain"),
        predicates=("tourne en boucle", "me donne des frissons", "est un chef-d'œuvre", "est sous-estimé",
                    "passe encore mieux la nuit", "est le tube de l'été", "me reste dans la tête"),
        activities=("voir le concert", "apprendre le solo de guitare", "acheter le vinyle", "chanter au karaoké jusqu'à 3h",
                    "faire une playlist pour la route"),
        comments=("Montez le son.", "Aucun titre à zapper.", "Frissons à chaque fois."),
        hashtags=("musique", "NowPlaying", "concert", "rap", "chanson"),
        links=("https://open.spotify.com/track/{id}", "https://www.deezer.com/fr/track/{id}",
               "https://www.youtube.com/watch?v={id}"),
    ),
    "film": Topic(
        subjects=("le final", "ce retournement", "la suite", "la saison deux", "la bande originale", "ce documentaire",
                  "le casting", "la fin"),
        predicates=("m'a gâché la semaine", "est meilleur que l'original", "mérite un César", "n'avait aucun sens",
                    "m'a fait pleurer", "traîne un peu", "vaut le coup"),
        activities=("regarder toute la série d'une traite", "m'endormir devant le film", "aller à l'avant-première",
                    "revoir la trilogie"),
        comments=("Pas de spoil svp.", "J'y pense encore.", "Dix sur dix.", "Qui l'a vu ?"),
        hashtags=("cinéma", "série", "Netflix", "film"),
        links=("https://www.allocine.fr/film/fichefilm_gen_cfilm={id}.html", "https://www.youtube.com/watch?v={id}"),
    ),
    "travel": Topic(
        subjects=("la vue depuis l'hôtel", "ce petit village breton", "le train de nuit", "la sécurité à l'aéroport",
                  "la vieille ville", "ce sentier de randonnée", "notre hôte", "le décalage horaire"),
        predicates=("est irréelle", "est à la hauteur", "était un cauchemar", "vaut le voyage", "est surcoté",
                    "mérite plus de visiteurs", "fait mal"),
        activities=("rater ma correspondance", "réserver un voyage de dernière minute", "grimper jusqu'au sommet",
                    "me perdre dans la vieille ville", "faire ma valise en dix minutes"),
        comments=("Je veux y retourner.", "Ajouté à la liste.", "Rien ne vaut la maison."),
        hashtags=("voyage", "vacances", "roadtrip", "randonnée"),
        links=("https://www.instagram.com/p/{id}/", "https://www.tripadvisor.fr/Attraction-{id}"),
    ),
    "pets": Topic(
        subjects=("mon chat", "le nouveau chiot", "notre vieux chien", "le perroquet du voisin", "mon lapin",
                  "le chaton qu'on a adopté"),
        predicates=("me juge", "a volé mon sandwich", "est le plus gentil du monde", "refuse de quitter mon clavier",
                    "a peur de l'aspirateur", "fait la loi à la maison"),
        activities=("adopter un vieux chien", "emmener le chat chez le véto", "acheter un pull ridicule pour le chien",
                    "donner un bain au chat"),
        comments=("Les animaux, c'est la vie.", "Je ne suis que le personnel ici.", "Regardez-moi cette tête."),
        hashtags=("chat", "chien", "animaux", "adoption"),
        links=("https://www.instagram.com/p/{id}/", "https://www.youtube.com/watch?v={id}"),
    ),
    "work": Topic(
        subjects=("cette réunion", "mon manager", "l'entretien annuel", "le télétravail", "le trajet en RER",
                  "le nouveau stagiaire", "la machine à café", "ce tableur"),
        predicates=("aurait pu être un mail", "est la raison pour laquelle je bois du café", "se passe plutôt bien",
                    "est encore en panne", "a changé ma vie", "mérite une augmentation", "me rend fou"),
        activities=("survivre à huit heures de réunion", "finir le rapport à minuit", "demander une augmentation",
                    "commencer un nouveau job", "bosser depuis un café"),
        comments=("Envoyez du café.", "On est vendredi ?", "La vie de bureau.", "Courage à tous."),
        hashtags=("télétravail", "boulot", "lundi", "emploi"),
        links=("https://www.linkedin.com/posts/{id}", "https://www.lesechos.fr/{id}"),
    ),
    "fitness": Topic(
        subjects=("la séance jambes", "mon footing du matin", "la nouvelle salle", "le cours de yoga", "le semi-marathon",
                  "les douches froides"),
        predicates=("m'a détruit", "devient plus facile", "est le meilleur moment de la journée",
                    "est plus dur qu'il n'y paraît", "me garde sain d'esprit", "marche vraiment"),
        activities=("courir mon premier 10 km", "aller à la salle à 6h", "faire du yoga au parc", "aller au boulot à vélo",
                    "battre mon record"),
        comments=("On lâche rien.", "Canapé demain.", "Hydratez-vous."),
        hashtags=("running", "sport", "yoga", "marathon"),
        links=("https://www.strava.com/activities/{id}", "https://www.youtube.com/watch?v={id}"),
    ),
    "current": Topic(
        subjects=("la réforme des retraites", "la campagne de vaccination", "la crise du logement", "le débat présidentiel",
                  "la hausse des loyers", "la canicule", "la gestion de la pandémie", "le pass sanitaire"),
        predicates=("devrait inquiéter tout le monde", "est une honte", "va enfin dans le bon sens",
                    "mérite un vrai débat", "est ignorée par les médias", "est épuisante", "n'est pas normale"),
        activities=("écrire à mon député", "lire le rapport en entier", "aller à la manif", "me faire vacciner",
                    "signer la pétition"),
        comments=("Ça suffit.", "Allez voter.", "On mérite mieux.", "Lisez l'article en entier."),
        hashtags=("actu", "politique", "climat", "COVID19", "PassSanitaire"),
        links=("https://www.lemonde.fr/politique/article/2021/{id}.html", "https://www.francetvinfo.fr/{id}.html",
               "https://www.liberation.fr/{id}/"),
    ),
}

REPLIES = ("Tout à fait d'accord.", "Tellement vrai", "Pas sûr de ça", "Source ?", "Mdr exactement", "J'adore !",
           "Félicitations !!", "Pareil", "Sérieux ?", "Ça 👆", "Merci du partage", "Pas du tout d'accord.",
           "On ne saurait mieux dire", "100 %", "Oh non", "Je pensais exactement pareil")
QUOTES = ("C'est important.", "À lire 👇", "Mdr", "Incroyable", "C'est ce que je disais", "Thread 👇", "Lisez ça.")

HEADLINE_TEMPLATES = ("{place} : {event}", "{event_cap} à {place}", "INFO — {event_cap}", "{place} — {event}")
PLACES = ("Paris", "Lyon", "Marseille", "Bordeaux", "Lille", "Nantes", "Toulouse", "Strasbourg", "Montréal",
          "Bruxelles", "Genève", "Rennes")
EVENTS = ("le conseil municipal adopte un nouveau budget pour les transports", "fortes pluies attendues sur la région",
          "un entrepôt ravagé par un incendie dans la nuit", "l'hôpital inaugure un nouveau service pédiatrique",
          "le chômage recule pour le troisième mois consécutif", "la rentrée scolaire maintenue en septembre",
          "{n} blessés dans une fusillade", "le centre de vaccination prolonge ses horaires",
          "la Bourse termine en hausse", "records de chaleur attendus ce week-end",
          "les nouvelles pistes cyclables font débat", "le musée dévoile un tableau restauré",
          "un pont fermé pour travaux urgents", "hausse des cas de Covid selon l'ARS",
          "grève des transports ce matin", "{n} interpellations après une manifestation")

WEATHER = "Météo {city} {hh}h00 — {temp} °C, {cond}, humidité {hum} %, vent {wind} km/h {dir}"
WEATHER_CONDITIONS = ("ciel dégagé", "peu nuageux", "couvert", "pluie faible", "averses", "orages", "brouillard",
                      "ensoleillé", "bruine")
WEATHER_CITIES = (("Paris", 120), ("Lyon", 120), ("Marseille", 120), ("Bordeaux", 120), ("Lille", 120), ("Nantes", 120),
                  ("Montréal", -240), ("Bruxelles", 120))  # (city, minutes east of UTC in summer)
ALERTS = ("Alerte séisme : magnitude {mag} à {km} km {dir} de {place} à {hh}:{mm} UTC, profondeur {depth} km.",
          "Alerte pollution à {place} : indice {aqi} ({level}). Limitez les activités en extérieur.",
          "Vigilance orange inondations à {place} jusqu'à {hh}h00.")
AQI_LEVELS = ("moyen", "médiocre", "mauvais", "très mauvais")

CELEBRITY_LINES = ("Merci {place} !! Quelle soirée ❤️", "Nouveau single vendredi 🎶", "Répétitions toute la journée, à bientôt {place} !",
                   "Les coulisses du nouveau clip 🎬", "Déjà {n} ans depuis le premier album", "Les dates de la tournée sont là !",
                   "Merci pour les {n} millions d'écoutes", "En studio 🎧", "Qui vient au concert ce soir ?",
                   "Quelque chose de grand arrive... 👀")
FAN_REPLIES = ("LA REINE 👑", "on t'aime !!", "trop hâte !!", "en boucle 🔥", "icône", "meilleure soirée de ma vie",
               "je crie", "enfin 😭", "légende")

FIRST_NAMES = ("Julie", "Thomas", "Camille", "Nicolas", "Léa", "Julien", "Manon", "Maxime", "Chloé", "Antoine",
               "Sarah", "Hugo", "Laura", "Lucas", "Marie", "Pierre", "Inès", "Karim", "Sophie", "Mehdi",
               "Emma", "Louis", "Clara", "Théo", "Pauline", "Yanis", "Anaïs", "Bastien", "Élodie", "Romain")
LAST_NAMES = ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
              "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
              "Morel", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Benali", "Mercier", "Blanc", "Guerin")
HANDLE_WORDS = ("le", "la", "petit", "vrai", "juste", "cafe", "soleil", "ptit", "moi", "mr", "mme", "bleu",
                "nuit", "paris", "chat", "lune")
BIO_PARTS = ("Amoureux du café.", "Maman de deux.", "Coureuse du dimanche.", "Infirmière.", "Développeur.",
             "Prof.", "Mes opinions n'engagent que moi.", "Supporter.", "Gourmand.", "Lectrice.", "Photographe amateur.",
             "Gameur.", "Étudiante.", "Mélomane.", "Voyageur.", "Jardinier du balcon.", "Retraité heureux.")
LOCATIONS = ("Paris, France", "Lyon", "Marseille", "Bordeaux, France", "Lille", "Nantes", "Montréal, Québec",
             "Bruxelles", "Genève", "Toulouse", "France", "Quelque part")
PAPERS = ("Le Courrier de", "L'Écho de", "La Gazette de", "Le Journal de", "Info", "Le Petit Quotidien de")
