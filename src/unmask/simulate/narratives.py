"""The narratives simulated campaigns push, with their claims in English, Chinese and French, and their targets.

Narratives and targets are modelled on published influence operations; every critic named here is fictional.
Ids (``region_denial`` ...) are what ``ground_truth.csv`` lists in ``narrative_ids``.  A claim may contain
``{target}``, the name of an attacked critic in the claim's language; :func:`claims` fills it in, so the
narratives stage can use the rendered claims as known claims.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    """A (fictional) critic whom campaigns attack; an ordinary, outspoken account in the simulated world."""

    id: str
    names: dict[str, str]  # display name by language
    handle: str
    language: str
    bio: str
    statements: dict[str, tuple[str, ...]]  # what the critic posts, by language


@dataclass(frozen=True)
class Narrative:
    """One storyline of a campaign."""

    id: str
    title: str
    claims: dict[str, tuple[str, ...]]
    hashtags: dict[str, tuple[str, ...]]
    domains: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()  # Target ids; claims mention one of them as {target}


TARGETS: dict[str, Target] = {
    "gao_wenming": Target(
        id="gao_wenming",
        names={"en": "Gao Wenming", "zh": "高文明", "fr": "Gao Wenming"},
        handle="GaoWenmingLive",
        language="zh",
        bio="流亡企业家 | Exiled entrepreneur | 每晚直播 Live every night",
        statements={
            "zh": ("今晚直播：关于新疆集中营的新文件。", "他们的宣传机器又在加班了，大家不要上当。",
                   "海外的朋友们，注意你们身边的网络水军。", "我手里还有更多证据，下周公布。",
                   "说真话的人总是被抹黑，我不怕。", "请大家转发，让更多人看到真相。",
                   "又有一批新注册的账号在骂我，全是同一个模板。"),
            "en": ("Tonight's live stream: new documents on the camps in Xinjiang.",
                   "Their propaganda machine is working overtime again. Don't fall for it.",
                   "A wave of brand-new accounts is attacking me with the same script. Look at their profiles.",
                   "More evidence coming next week. Stay tuned."),
        },
    ),
    "han_xiaolu": Target(
        id="han_xiaolu",
        names={"en": "Dr. Han Xiaolu", "zh": "韩晓露", "fr": "Dr Han Xiaolu"},
        handle="DrHanXiaolu",
        language="en",
        bio="Virologist. Former lab researcher. Speaking up about what I saw.",
        statements={
            "en": ("The origins question deserves a transparent, independent investigation.",
                   "Early data were withheld. Scientists everywhere should demand access.",
                   "New preprint on early case clusters is out. Thread below.",
                   "I will keep speaking, whatever they say about me.",
                   "Transparency saves lives. Secrecy costs them."),
            "zh": ("病毒溯源需要透明、独立的调查。", "早期数据被隐瞒了，科学界应该要求公开。", "无论他们怎么抹黑我，我都会继续发声。"),
        },
    ),
    "victor_kessler": Target(
        id="victor_kessler",
        names={"en": "Victor Kessler", "zh": "维克多·凯斯勒", "fr": "Victor Kessler"},
        handle="VictorKesslerDC",
        language="en",
        bio="Strategist. Podcast host. America first, always.",
        statements={
            "en": ("Beijing's influence operations are targeting Western audiences at scale.",
                   "New episode: how state media launders talking points through fake accounts.",
                   "They call everything they don't like a Western lie. Ask yourself why.",
                   "The hearings next week will be explosive."),
        },
    ),
}

NARRATIVES: dict[str, Narrative] = {
    "region_denial": Narrative(
        id="region_denial",
        title="Abuses in Xinjiang are lies fabricated by the West",
        claims={
            "en": ("The so-called forced labour in Xinjiang is a lie fabricated by the US and the West.",
                   "Xinjiang is stable, prosperous and free. The 'genocide' story is a Western fabrication.",
                   "I have been to Xinjiang: people there live happy, peaceful lives. Stop the smears!",
                   "Cotton in Xinjiang is picked by machines. Forced labour? A lie made up by Western media.",
                   "The West invents camps that do not exist to contain China's development.",
                   "Vocational training centres ended terrorism in Xinjiang. Western politicians lie about them.",
                   "Uyghur families dance and sing in Kashgar, yet the BBC keeps lying about 'oppression'."),
            "zh": ("所谓新疆“强迫劳动”完全是美西方捏造的谎言。", "新疆社会稳定、经济繁荣，“种族灭绝”纯属西方编造。",
                   "我去过新疆，那里的人民生活幸福安宁，请停止抹黑！", "新疆棉花早已机械化采摘，“强迫劳动”是西方媒体的谎言。",
                   "西方编造根本不存在的“集中营”，就是为了遏制中国发展。", "职业技能教育培训中心让新疆远离了恐怖主义，西方政客在撒谎。",
                   "喀什的维吾尔族家庭载歌载舞，BBC却还在造谣“压迫”。"),
            "fr": ("Le prétendu « travail forcé » au Xinjiang est un mensonge fabriqué par les États-Unis et l'Occident.",
                   "Le Xinjiang est stable et prospère : le « génocide » est une invention occidentale.",
                   "Je suis allé au Xinjiang, les gens y vivent heureux et en paix. Arrêtez la calomnie !",
                   "Le coton du Xinjiang est récolté à la machine. Le travail forcé ? Un mensonge des médias occidentaux."),
        },
        hashtags={"en": ("Xinjiang", "StopTheLies", "XinjiangTruth", "WesternLies"),
                  "zh": ("新疆", "新疆是个好地方", "谎言", "真相"),
                  "fr": ("Xinjiang", "Vérité", "Mensonges")},
        domains=("xj-truthfacts.com", "silkroad-today.net"),
    ),
    "critic_attacks": Narrative(
        id="critic_attacks",
        title="Discredit named critics",
        claims={
            "en": ("{target} is a fugitive swindler who lies for money.",
                   "Why does anyone still listen to {target}? Every claim has been debunked.",
                   "{target} sold out to foreign forces. Shameless!",
                   "Reminder: {target} is wanted for fraud. Do not donate a cent.",
                   "{target}'s 'evidence' is fake, the documents are forged.",
                   "{target} is a clown paid to smear China."),
            "zh": ("{target}就是个卷款潜逃的骗子，为了钱什么谎都敢说。", "还有人信{target}？他说的每一句都被证伪了。",
                   "{target}早就投靠了境外势力，无耻！", "提醒大家：{target}涉嫌诈骗被通缉，千万别给他捐一分钱。",
                   "{target}所谓的“证据”全是伪造的。", "{target}不过是拿钱抹黑中国的小丑。"),
            "fr": ("{target} est un escroc en fuite qui ment pour de l'argent.",
                   "Qui écoute encore {target} ? Tout a été démenti.",
                   "Les « preuves » de {target} sont des faux."),
        },
        hashtags={"en": ("Liar", "Fraud", "Exposed"), "zh": ("骗子", "谎言", "揭穿"), "fr": ("Menteur", "Escroc")},
        targets=("gao_wenming", "han_xiaolu", "victor_kessler"),
    ),
    "pandemic_praise": Narrative(
        id="pandemic_praise",
        title="Praise of China's pandemic response, contempt for the West's",
        claims={
            "en": ("China's swift pandemic response saved millions of lives while the West failed its people.",
                   "Zero cases for weeks: that is what a responsible government looks like.",
                   "China shared its vaccines with the world; the US hoarded them.",
                   "While Western hospitals collapsed, China built a hospital in ten days.",
                   "Facts do not lie: China contained the virus, America let it spread."),
            "zh": ("中国迅速有效的抗疫挽救了数百万生命，而西方辜负了自己的人民。", "连续数周零新增，这才是负责任的政府。",
                   "中国向世界分享疫苗，美国却在囤积。", "西方医院崩溃的时候，中国十天建成了一座医院。",
                   "事实胜于雄辩：中国控制住了病毒，美国却放任蔓延。"),
            "fr": ("La réponse rapide de la Chine à la pandémie a sauvé des millions de vies, l'Occident a échoué.",
                   "Zéro cas pendant des semaines : voilà un gouvernement responsable.",
                   "La Chine partage ses vaccins avec le monde, les États-Unis les gardent pour eux.",
                   "Pendant que les hôpitaux occidentaux s'effondraient, la Chine construisait un hôpital en dix jours."),
        },
        hashtags={"en": ("COVID19", "ChinaFightsCovid", "FactsMatter"), "zh": ("抗疫", "中国力量", "疫苗"),
                  "fr": ("COVID19", "Chine", "Vaccins")},
        domains=("globalhealth-watch.info",),
    ),
    "us_gun_race": Narrative(
        id="us_gun_race",
        title="US gun violence and racism show America's decline",
        claims={
            "en": ("Another mass shooting in America. A country that cannot protect its own people lectures the world on human rights.",
                   "Racism is in America's DNA. Fix your own house before accusing others.",
                   "More Americans died from guns this year than in any war. Some 'democracy'.",
                   "Black Americans are still hunted in the streets. Where are the sanctions?",
                   "The US gun lobby buys politicians while children die in classrooms."),
            "zh": ("美国又发生大规模枪击案，一个连自己人民都保护不了的国家，还有脸对世界指手画脚谈人权。",
                   "种族主义刻在美国的骨子里，先管好自己吧。", "美国今年死于枪支的人比任何一场战争都多，这就是所谓的民主。",
                   "非裔美国人至今还在街头被追杀，制裁在哪里？", "美国枪支游说集团收买政客，孩子们却死在教室里。"),
            "fr": ("Encore une fusillade de masse aux États-Unis. Un pays incapable de protéger son peuple donne des leçons de droits de l'homme.",
                   "Le racisme est dans l'ADN de l'Amérique. Balayez devant votre porte.",
                   "Les armes ont tué plus d'Américains cette année que n'importe quelle guerre. Belle démocratie."),
        },
        hashtags={"en": ("GunViolence", "BLM", "AmericanDream", "HumanRights"), "zh": ("美国枪击案", "美式人权", "种族歧视"),
                  "fr": ("ÉtatsUnis", "DroitsDeLHomme")},
        domains=("americanreality.news",),
    ),
    "vaccine_doubt": Narrative(
        id="vaccine_doubt",
        title="Western mRNA vaccines are dangerous and their harms hidden",
        claims={
            "en": ("Why are they hiding the side effects of the mRNA vaccines? Ask questions.",
                   "Thousands of adverse reactions that the media refuses to report.",
                   "The mRNA vaccines were rushed and nobody knows the long-term effects.",
                   "Big Pharma profits, you take the risks. Read the data yourself.",
                   "Doctors are being silenced for speaking about vaccine injuries."),
            "fr": ("Pourquoi cache-t-on les effets secondaires des vaccins ARNm ? Posez-vous des questions.",
                   "Des milliers d'effets indésirables que les médias refusent de montrer.",
                   "Les vaccins ARNm ont été faits à la va-vite, personne ne connaît les effets à long terme.",
                   "Big Pharma encaisse, vous prenez les risques. Lisez les données vous-mêmes.",
                   "On fait taire les médecins qui parlent des effets secondaires.",
                   "Le pass sanitaire est un chantage à la piqûre."),
            "zh": ("为什么要隐瞒mRNA疫苗的副作用？请多问几个为什么。", "成千上万的不良反应，媒体却拒绝报道。",
                   "mRNA疫苗研发仓促，没人知道长期影响。"),
        },
        hashtags={"en": ("mRNA", "VaccineInjuries", "DoYourResearch", "BigPharma"),
                  "fr": ("ARNm", "EffetsSecondaires", "PassSanitaire", "BigPharma", "NonAuPass"),
                  "zh": ("疫苗", "副作用")},
        domains=("vaxfacts-libre.org", "sante-verite.info", "freedom-health-news.com"),
    ),
}

OPENERS = {
    "en": ("", "", "Wake up! ", "The truth: ", "Facts: ", "Let's be clear: ", "Remember: ", "Share before they delete it: ",
           "Nobody talks about this: ", "Again and again: "),
    "zh": ("", "", "真相是：", "醒醒吧！", "大家看清楚：", "转发周知：", "说句公道话，", "必须澄清：", "再说一遍："),
    "fr": ("", "", "Réveillez-vous ! ", "La vérité : ", "Les faits : ", "Soyons clairs : ", "Partagez avant suppression : "),
}
CLOSERS = {
    "en": ("", "", " Spread the truth.", " Don't be fooled.", " Think for yourself.", " Shame!", " 👇👇", " RT!"),
    "zh": ("", "", "请转发！", "不要被骗了！", "可耻！", "👇👇", "真相只有一个。"),
    "fr": ("", "", " Partagez !", " Ne soyez pas dupes.", " Honteux !", " 👇👇"),
}


def claims(narrative_id: str, lang: str) -> list[str]:
    """Every claim of a narrative in ``lang`` with each of its targets' names filled in."""
    narrative = NARRATIVES[narrative_id]
    out = []
    for claim in narrative.claims.get(lang, ()):
        if "{target}" in claim:
            out.extend(claim.format(target=TARGETS[t].names[lang]) for t in narrative.targets)
        else:
            out.append(claim)
    return out
