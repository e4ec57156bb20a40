"""Texts of the fixed pages of the demo site (home, catalogue, help nearby), in the four languages."""

HOME = {
    "title": {"nl": "Oefenplein", "fr": "Oefenplein", "en": "Oefenplein", "ar": "Oefenplein"},
    "hero_title": {
        "nl": "Oefen digitale vaardigheden in je eigen tempo",
        "fr": "Exercez vos compétences numériques à votre rythme",
        "en": "Practise digital skills at your own pace",
        "ar": "تدرّب على المهارات الرقمية بالسرعة التي تناسبك",
    },
    "hero_text": {
        "nl": "Korte lessen en veilige oefeningen. Je kunt hier niets kapotmaken. Hulp nodig? Kom langs bij een hulppunt in Mechelen.",
        "fr": "Des leçons courtes et des exercices sans risque. Ici, vous ne pouvez rien casser. Besoin d'aide ? Passez à un point d'aide à Malines.",
        "en": "Short lessons and safe exercises. You cannot break anything here. Need help? Visit a help point in Mechelen.",
        "ar": "دروس قصيرة وتمارين آمنة. لا يمكنك أن تُفسد شيئًا هنا. هل تحتاج إلى مساعدة؟ زُر نقطة مساعدة في مِيخِلِن.",
    },
}

CATALOGUE = {
    "slug": {"nl": "modules", "fr": "modules", "en": "modules", "ar": "modules"},
    "title": {"nl": "Alle modules", "fr": "Tous les modules", "en": "All modules", "ar": "كل الوحدات"},
    "intro": {
        "nl": "Kies een onderwerp dat bij je past. Elke module heeft korte lessen.",
        "fr": "Choisissez un sujet qui vous convient. Chaque module contient de courtes leçons.",
        "en": "Choose a topic that suits you. Every module has short lessons.",
        "ar": "اختر موضوعًا يناسبك. في كل وحدة دروس قصيرة.",
    },
}

HELP = {
    "slug": {"nl": "hulp-in-de-buurt", "fr": "aide-pres-de-chez-vous", "en": "help-nearby", "ar": "musaada"},
    "title": {
        "nl": "Hulp in de buurt",
        "fr": "De l'aide près de chez vous",
        "en": "Help nearby",
        "ar": "مساعدة بالقرب منك",
    },
    "intro": {
        "nl": "Op deze plaatsen in Mechelen helpen mensen je graag verder. Je kunt er gratis internetten en soms een toestel lenen.",
        "fr": "À ces endroits de Malines, on vous aide volontiers. Vous pouvez y utiliser internet gratuitement et parfois emprunter un appareil.",
        "en": "At these places in Mechelen, people are happy to help you. You can use the internet for free, and sometimes borrow a device.",
        "ar": "في هذه الأماكن في ميخلن يسعد الناس بمساعدتك. يمكنك استخدام الإنترنت مجانًا، وأحيانًا استعارة جهاز.",
    },
}
