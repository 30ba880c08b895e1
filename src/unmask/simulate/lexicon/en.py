"""English vocabulary for simulated posts, profiles, headlines and bots."""

from . import Topic

# {o} opener, {s} subject, {p} predicate, {a} activity (past tense), {c} comment, {t} time, {e} ending
TEMPLATES = (
    "{o}{s} {p}. {c}{e}",
    "{s} {p} {t}{e}",
    "Just {a}. {c}",
    "{t} I {a}. {c}{e}",
    "{c} {s} {p}.",
    "Hot take: {s} {p}{e}",
    "Can confirm {s} {p}. {c}",
    "{o}{a} {t} and {s} {p}{e}",
    "Is it just me or {s} {p}?",
    "{o}{s} {p} and I'm not even mad{e}",
    "Finally {a}! {c}",
    "Me {t}: {a}. Also me: {c}",
)
OPENERS = ("", "", "", "Ok so ", "Honestly ", "Not gonna lie, ", "PSA: ", "Update: ", "Wow, ", "lol ",
           "Reminder that ", "Fun fact: ", "Unpopular opinion: ", "Day 3 and ", "So apparently ")
ENDINGS = ("", "", "", "", "!", "!!", " 😂", " 🙌", " lol", " tbh", " 😅", " ❤️", " 🔥", " 👀", " 🤷", " haha",
           " smh", " 💯")
TIMES = ("today", "this morning", "last night", "this weekend", "after work", "on my lunch break", "yesterday",
         "at 2am", "before breakfast", "on the train", "all afternoon", "this week")
COMMENTS = ("Highly recommend.", "Who's with me?", "Thoughts?", "10/10.", "Never again.", "Best decision ever.",
            "Not sure how I feel about it.", "Send help.", "Can't wait for the weekend.", "Life is good.",
            "Zero regrets.", "Mood.", "We move.", "What a time to be alive.", "Could be worse.", "Anyway.",
            "Ask me how I know.", "This is the content I'm here for.")

TOPICS = {
    "food": Topic(
        subjects=("this ramen place", "my grandma's lasagna", "the new bakery on 5th", "homemade sourdough",
                  "the taco truck near my office", "oat milk", "pineapple on pizza", "my first attempt at pho",
                  "the farmers market", "cold brew", "this banana bread recipe", "the dumpling spot downtown"),
        predicates=("is absolutely worth the wait", "never disappoints", "tastes better than I remember",
                    "just changed my life", "is seriously underrated", "is overpriced but I keep going back",
                    "needs more salt", "is pure comfort", "deserves a michelin star", "slaps"),
        activities=("made dumplings from scratch", "burned the toast again", "tried the spicy noodle challenge",
                    "baked two loaves of bread", "found the best coffee in town", "ate way too much pasta",
                    "cooked dinner for eight people"),
        comments=("Chef's kiss.", "My kitchen is a disaster.", "Recipe in the comments.", "Worth every calorie."),
        hashtags=("foodie", "homecooking", "brunch", "coffee", "baking", "foodporn"),
        links=("https://www.youtube.com/watch?v={id}", "https://www.instagram.com/p/{id}/",
               "https://www.allrecipes.com/recipe/{id}/"),
    ),
    "sports": Topic(
        subjects=("the second half", "our defence", "that referee", "the new signing", "the penalty shootout",
                  "this season", "the rookie quarterback", "the title race", "the away kit", "the manager"),
        predicates=("is giving me anxiety", "was a total disgrace", "is the best thing to happen to this club",
                    "needs to be reviewed", "deserves more credit", "looks completely different this year",
                    "has me yelling at the tv", "is going down to the last game", "is pure cinema"),
        activities=("watched the derby with the whole family", "lost my voice at the stadium",
                    "stayed up for the final", "bought season tickets", "played five-a-side in the rain",
                    "finally beat my brother at fantasy football"),
        comments=("What a game.", "I can't watch this anymore.", "Sack the board.", "We go again.",
                  "Football is cruel."),
        hashtags=("football", "NBA", "matchday", "WorldCup", "PremierLeague", "NFL"),
        links=("https://www.youtube.com/watch?v={id}", "https://www.espn.com/story/_/id/{id}",
               "https://www.bbc.co.uk/sport/football/{id}"),
    ),
    "tech": Topic(
        subjects=("the new phone update", "my laptop battery", "this open source library", "the office wifi",
                  "dark mode", "the latest AI demo", "my mechanical keyboard", "the app redesign",
                  "our build pipeline", "this browser extension"),
        predicates=("is a huge improvement", "broke everything again", "is surprisingly good",
                    "drains in two hours", "should be illegal", "just saved me a week of work",
                    "is overhyped", "keeps crashing", "is held together with duct tape"),
        activities=("shipped a release on a friday", "rewrote the whole thing in Rust",
                    "spent four hours fixing a typo", "switched to Linux", "finally cleaned up my inbox",
                    "built my own PC"),
        comments=("Never deploying on a Friday again.", "It works on my machine.", "Tech is hard.",
                  "Changelog is wild."),
        hashtags=("tech", "AI", "coding", "opensource", "devlife", "gadgets"),
        links=("https://github.com/{id}", "https://www.theverge.com/{id}", "https://news.ycombinator.com/item?id={id}"),
    ),
    "music": Topic(
        subjects=("this album", "the opening track", "the live version", "my spotify wrapped", "that bassline",
                  "the new single", "the festival lineup", "this playlist", "the bridge of that song"),
        predicates=("is on repeat", "gives me chills", "is a masterpiece", "is criminally underrated",
                    "hits different at night", "is the song of the summer", "is stuck in my head", "goes so hard"),
        activities=("saw them live", "learned the guitar solo", "made a playlist for the road trip",
                    "bought the vinyl", "found my old mixtapes", "sang karaoke until 3am"),
        comments=("Turn it up.", "No skips.", "Chills every time.", "Play it loud."),
        hashtags=("NowPlaying", "music", "newmusic", "vinyl", "livemusic", "concert"),
        links=("https://open.spotify.com/track/{id}", "https://www.youtube.com/watch?v={id}",
               "https://music.apple.com/album/{id}"),
    ),
    "film": Topic(
        subjects=("the finale", "that plot twist", "the sequel", "season two", "the soundtrack",
                  "the director's cut", "this documentary", "the casting", "the ending"),
        predicates=("ruined my whole week", "is better than the original", "deserves an award",
                    "made no sense", "had me crying", "is a visual masterpiece", "dragged a bit",
                    "is worth the hype"),
        activities=("binged the whole series", "watched it twice in one day", "fell asleep during the movie",
                    "went to the midnight premiere", "rewatched the trilogy"),
        comments=("No spoilers please.", "Still thinking about it.", "Ten out of ten.", "Who else watched?"),
        hashtags=("movies", "Netflix", "TVshow", "cinema", "filmtwitter"),
        links=("https://www.imdb.com/title/tt{id}/", "https://www.youtube.com/watch?v={id}",
               "https://letterboxd.com/film/{id}/"),
    ),
    "travel": Topic(
        subjects=("the view from the hotel", "this little beach town", "the night train", "airport security",
                  "the old town", "the hiking trail", "our airbnb host", "the street food market", "jet lag"),
        predicates=("is unreal", "is everything I hoped for", "was an absolute nightmare", "is worth the trip",
                    "feels like a movie set", "was overrated", "deserves more visitors", "is hitting hard"),
        activities=("missed my connecting flight", "booked a last minute trip", "hiked to the summit",
                    "got lost in the old town", "tried every pastry in Lisbon", "packed in ten minutes"),
        comments=("Take me back.", "Adding it to the list.", "Travel is the best teacher.", "Home sweet home."),
        hashtags=("travel", "wanderlust", "roadtrip", "vacation", "travelgram"),
        links=("https://www.instagram.com/p/{id}/", "https://www.tripadvisor.com/Attraction-{id}",
               "https://www.youtube.com/watch?v={id}"),
    ),
    "pets": Topic(
        subjects=("my cat", "the new puppy", "our old dog", "the neighbour's parrot", "my hamster",
                  "the rescue kitten", "my golden retriever"),
        predicates=("is judging me", "stole my sandwich", "is the goodest boy", "refuses to get off my laptop",
                    "has more followers than me", "is scared of the vacuum", "runs this house"),
        activities=("adopted a senior dog", "took the cat to the vet", "bought a ridiculous dog sweater",
                    "spent the morning at the dog park", "tried to give the cat a bath"),
        comments=("Pets are the best.", "Send treats.", "I'm just the staff here.", "Look at this face."),
        hashtags=("cats", "dogsoftwitter", "catsoftwitter", "adoptdontshop", "puppy"),
        links=("https://www.instagram.com/p/{id}/", "https://www.youtube.com/watch?v={id}"),
    ),
    "work": Topic(
        subjects=("this meeting", "my manager", "the quarterly review", "remote work", "my commute",
                  "the new intern", "the office coffee machine", "this spreadsheet", "the four day week"),
        predicates=("could have been an email", "is the reason I drink coffee", "is actually going well",
                    "is overrated", "changed my life", "is broken again", "deserves a raise",
                    "has 47 tabs", "is the future"),
        activities=("survived eight hours of meetings", "finished the report at midnight", "asked for a raise",
                    "started a new job", "cleared my inbox", "worked from a cafe"),
        comments=("Send coffee.", "Is it Friday yet?", "Corporate life.", "We persevere."),
        hashtags=("MondayMotivation", "remotework", "careers", "WFH", "worklife"),
        links=("https://www.linkedin.com/posts/{id}", "https://hbr.org/{id}"),
    ),
    "fitness": Topic(
        subjects=("leg day", "my morning run", "the new gym", "yoga class", "my step count", "the half marathon",
                  "this stretching routine", "cold showers"),
        predicates=("destroyed me", "is getting easier", "is the best part of my day", "is harder than it looks",
                    "keeps me sane", "starts in two weeks", "actually works"),
        activities=("ran my first 10k", "went to the gym at 6am", "did yoga in the park", "cycled to work",
                    "hit a new personal best", "skipped the gym again"),
        comments=("No pain no gain.", "Couch tomorrow.", "Progress is progress.", "Hydrate."),
        hashtags=("fitness", "running", "gym", "yoga", "marathon"),
        links=("https://www.strava.com/activities/{id}", "https://www.youtube.com/watch?v={id}"),
    ),
    "current": Topic(
        subjects=("the new climate bill", "another mass shooting", "the vaccine rollout", "the housing crisis",
                  "the election debate", "the rise in rent", "the heatwave", "the pandemic response",
                  "the school board meeting", "the city budget"),
        predicates=("should worry everyone", "is a disgrace", "is finally moving in the right direction",
                    "needs a serious debate", "is being ignored by the media", "is exhausting",
                    "is not normal", "proves nothing changes", "deserves more attention"),
        activities=("called my representative", "read the whole report", "went to the town hall",
                    "volunteered at the vaccination centre", "signed the petition", "watched the debate"),
        comments=("Enough is enough.", "Vote.", "We deserve better.", "Read the full thing.", "Sad."),
        hashtags=("news", "climate", "GunViolence", "COVID19", "politics", "housing"),
        links=("https://www.reuters.com/world/{id}", "https://apnews.com/article/{id}",
               "https://www.bbc.com/news/{id}", "https://www.nytimes.com/2021/{id}.html"),
    ),
}

REPLIES = ("Totally agree.", "This is so true", "Not sure about that tbh", "Source?", "Haha exactly",
           "Love this!", "Congrats!!", "Same here", "Wait, really?", "This 👆", "Thanks for sharing",
           "Hard disagree.", "Couldn't have said it better", "lol", "100%", "Oh no", "Big if true",
           "Needed to hear this today", "I was just thinking that", "Respectfully, no.")
QUOTES = ("This is important.", "Worth a read 👇", "lol", "Can't believe this", "Exactly what I was saying",
          "Thread 👇", "Yep.", "Read this.", "Wild.", "Everyone should see this")

HEADLINE_TEMPLATES = ("{place}: {event}", "{event_cap} in {place}", "BREAKING: {event_cap}",
                      "{event_cap}, officials say", "{place} — {event}")
PLACES = ("Harbor City", "Springfield", "Northbridge", "Lakeside County", "Chicago", "Denver", "Atlanta",
          "London", "Manchester", "Sydney", "Toronto", "the Bay Area")
EVENTS = ("city council approves new budget for public transport", "heavy rain expected across the region",
          "police investigate overnight warehouse fire", "local hospital opens new children's wing",
          "unemployment falls for third month in a row", "schools to reopen after summer break",
          "shooting at shopping mall leaves {n} injured", "vaccination centre extends opening hours",
          "stock markets close higher as tech rebounds", "record heat forecast for the weekend",
          "new cycling lanes spark debate", "museum unveils restored painting",
          "bridge closed for urgent repairs", "health officials report rise in covid cases",
          "{n} arrested after protest turns violent", "mayor announces plan to build {n},000 homes",
          "train strike disrupts morning commute", "wildfire forces evacuation of {n} homes",
          "court blocks controversial voting law", "teachers' union calls for pay rise")

WEATHER = "{city} weather at {hh}:00 — {temp}°C, {cond}, humidity {hum}%, wind {wind} km/h {dir}"
WEATHER_CONDITIONS = ("clear sky", "few clouds", "overcast", "light rain", "showers", "thunderstorms", "fog",
                      "sunny", "drizzle", "haze")
WEATHER_CITIES = (("Harbor City", -240), ("Chicago", -300), ("Denver", -360), ("London", 60), ("Toronto", -240),
                  ("Sydney", 600), ("Boston", -240), ("Seattle", -420))  # (city, minutes east of UTC in summer)
ALERTS = ("Earthquake alert: M{mag} quake {km} km {dir} of {place} at {hh}:{mm} UTC, depth {depth} km.",
          "Air quality alert for {place}: AQI {aqi} ({level}). Sensitive groups should limit outdoor activity.",
          "Flood warning for {place} until {hh}:00. Avoid low-lying roads.")
AQI_LEVELS = ("moderate", "unhealthy for sensitive groups", "unhealthy", "very unhealthy")

CELEBRITY_LINES = ("Thank you {place}!! What a night ❤️", "New single out this Friday 🎶",
                   "Rehearsals all day. See you soon {place}!", "Behind the scenes of the new video 🎬",
                   "Can't believe it's been {n} years since the first album", "Tour dates announced! Tickets Friday",
                   "I love you all so much, thank you for {n} million streams", "Studio mode 🎧",
                   "Who's coming to the show tonight?", "Something big is coming... 👀")
FAN_REPLIES = ("QUEEN 👑", "we love you!!", "streaming all day 🔥", "omg yes", "can't wait!!!", "ICON",
               "best night of my life", "I'm screaming", "the moment we've been waiting for 😭", "legend")

FIRST_NAMES = ("James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Emily",
               "William", "Sarah", "Chris", "Jessica", "Daniel", "Ashley", "Matt", "Amanda", "Kevin", "Megan",
               "Brian", "Rachel", "Tyler", "Lauren", "Jason", "Nicole", "Ryan", "Hannah", "Eric", "Olivia",
               "Priya", "Arjun", "Fatima", "Omar", "Grace", "Liam", "Chloe", "Noah", "Zoe", "Ethan")
LAST_NAMES = ("Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Wilson", "Anderson",
              "Taylor", "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White", "Harris", "Clark", "Lewis",
              "Walker", "Hall", "Young", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Patel", "Khan",
              "Murphy", "Kelly", "Reed", "Cooper", "Ward", "Brooks", "Hughes", "Price", "Bennett")
HANDLE_WORDS = ("coffee", "sunny", "the", "real", "just", "its", "hey", "daily", "lost", "city", "wild", "blue",
                "night", "pixel", "lazy", "urban", "happy", "tiny", "cosmic", "retro")
BIO_PARTS = ("Coffee addict.", "Dog mom.", "Runner.", "Nurse.", "Software engineer.", "Teacher.", "Dad of two.",
             "Views my own.", "Sports fan.", "Foodie.", "Bookworm.", "Amateur photographer.", "Gamer.",
             "Plant parent.", "Student.", "Music lover.", "Overthinker.", "Traveler.", "Cat person.",
             "she/her", "he/him", "they/them", "Retired and loving it.", "Small business owner.")
LOCATIONS = ("New York, NY", "Los Angeles, CA", "Chicago, IL", "Texas, USA", "London, England", "Manchester",
             "Toronto, Ontario", "Sydney, Australia", "Mumbai, India", "Seattle, WA", "Atlanta, GA", "Dublin",
             "Boston, MA", "Earth", "somewhere", "Florida", "Melbourne", "Singapore")
PAPERS = ("Times", "Post", "Herald", "Chronicle", "Daily", "Gazette", "Observer", "Tribune", "Ledger", "Dispatch")
