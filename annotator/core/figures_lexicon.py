"""Word lists used by figure detection (:mod:`annotator.core.figures`).

Everything here is plain data: number words, scale words, currencies, units, qualifiers and the
words that mark a number as a date, a label or a name.  Keys are lowercase unless noted.
"""

from __future__ import annotations

# --- number words -------------------------------------------------------------------------------

SMALL_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
# Multipliers that may follow a number ("30 thousand", "Thirty thousand", "3 dozen").
SCALE_WORDS = {
    "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "quadrillion": 1e15, "dozen": 12.0,
}
# Abbreviated scales written after digits ("$2.5m", "€3bn", "5k", "$1.2tn").
# "m" and "b" are read as million/billion only after a currency (else "100m" is 100 metres).
SCALE_ABBREVIATIONS = {
    "k": 1e3, "K": 1e3, "m": 1e6, "M": 1e6, "B": 1e9, "T": 1e12, "mn": 1e6, "mln": 1e6,
    "mio": 1e6, "b": 1e9, "bn": 1e9, "bln": 1e9,
    "tn": 1e12, "trn": 1e12,
}
SCALE_ABBREVIATIONS_NEED_CURRENCY = {"m", "b", "M", "B", "T"}

# Vague plural magnitudes: "thousands", "tens of thousands", "hundreds of millions".
VAGUE_PLURALS = {
    "tens": 10.0, "dozens": 12.0, "hundreds": 1e2, "thousands": 1e3, "millions": 1e6,
    "billions": 1e9, "trillions": 1e12,
}

# Fraction denominators: "two-thirds", "one-tenth", "a quarter of", "half".
FRACTIONS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
    "fourth": 4, "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6,
    "seventh": 7, "sevenths": 7, "eighth": 8, "eighths": 8, "ninth": 9, "ninths": 9,
    "tenth": 10, "tenths": 10, "hundredth": 100, "hundredths": 100,
}

# --- currencies ---------------------------------------------------------------------------------

# Symbols and prefixes written before the number (case-sensitive).
CURRENCY_PREFIXES = {
    "US$": "USD", "US $": "USD", "U.S.$": "USD", "C$": "CAD", "CA$": "CAD", "A$": "AUD",
    "AU$": "AUD", "NZ$": "NZD", "HK$": "HKD", "S$": "SGD", "R$": "BRL", "$": "USD",
    "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₽": "RUB", "₺": "TRY", "₩": "KRW",
    "₪": "ILS", "₦": "NGN", "₴": "UAH", "﷼": "IRR", "Rs.": "INR", "Rs": "INR",
}
# ISO 4217 codes accepted before ("USD 40") or after ("40 USD") the number (case-sensitive).
CURRENCY_CODES = {
    "USD", "EUR", "GBP", "IRR", "JPY", "CNY", "RMB", "CHF", "CAD", "AUD", "NZD", "HKD", "SGD",
    "INR", "RUB", "TRY", "KRW", "ILS", "BRL", "MXN", "ZAR", "SEK", "NOK", "DKK", "PLN", "AED",
    "SAR", "QAR", "EGP", "NGN", "UAH", "PKR", "IDR", "THB",
}
CODE_ALIASES = {"RMB": "CNY"}
# Currency names written after the number ("100 million rials", "5 dollars").
# "pounds" is a weight unless written "pounds sterling" (see UNITS).
CURRENCY_NAMES = {
    "dollar": "USD", "dollars": "USD", "us dollars": "USD", "u.s. dollars": "USD",
    "euro": "EUR", "euros": "EUR", "pounds sterling": "GBP", "pound sterling": "GBP",
    "sterling": "GBP", "rial": "IRR", "rials": "IRR", "toman": "IRT", "tomans": "IRT",
    "yen": "JPY", "yuan": "CNY", "renminbi": "CNY", "rupee": "INR", "rupees": "INR",
    "rouble": "RUB", "roubles": "RUB", "ruble": "RUB", "rubles": "RUB", "lira": "TRY",
    "liras": "TRY", "shekel": "ILS", "shekels": "ILS", "riyal": "SAR", "riyals": "SAR",
    "dirham": "AED", "dirhams": "AED", "naira": "NGN", "hryvnia": "UAH", "hryvnias": "UAH",
    "swiss francs": "CHF", "rand": "ZAR", "pesos": "MXN", "reais": "BRL",
    "cent": "USD", "cents": "USD",
}
# Subunits: the value is divided by this.
CURRENCY_SUBUNITS = {"cent": 100, "cents": 100}

# --- units --------------------------------------------------------------------------------------

PERCENT_WORDS = {
    "%": "percent", "percent": "percent", "per cent": "percent", "pct": "percent",
    "percentage point": "percentage point", "percentage points": "percentage point",
    "basis point": "basis point", "basis points": "basis point", "bps": "basis point",
}

# Units written after the number (lowercase key -> canonical).  Case-sensitive symbols are in
# UNITS_CASED.  Time units are units too: "18 months", "a six-month contract".
UNITS = {
    # time
    "second": "second", "seconds": "second", "sec": "second", "secs": "second",
    "minute": "minute", "minutes": "minute", "min": "minute", "mins": "minute",
    "hour": "hour", "hours": "hour", "hr": "hour", "hrs": "hour",
    "day": "day", "days": "day", "week": "week", "weeks": "week",
    "month": "month", "months": "month", "year": "year", "years": "year", "yr": "year",
    "yrs": "year", "decade": "decade", "decades": "decade", "century": "century",
    "centuries": "century",
    # length
    "km": "km", "kilometre": "km", "kilometres": "km", "kilometer": "km", "kilometers": "km",
    "metre": "m", "metres": "m", "meter": "m", "meters": "m", "cm": "cm", "centimetre": "cm",
    "centimetres": "cm", "centimeter": "cm", "centimeters": "cm", "mm": "mm",
    "millimetre": "mm", "millimetres": "mm", "millimeter": "mm", "millimeters": "mm",
    "mile": "mi", "miles": "mi", "mi": "mi", "foot": "ft", "feet": "ft", "ft": "ft",
    "inch": "in", "inches": "in", "yard": "yd", "yards": "yd", "nautical miles": "nmi",
    # area and volume
    "hectare": "ha", "hectares": "ha", "ha": "ha", "acre": "acre", "acres": "acre",
    "square kilometres": "km2", "square kilometers": "km2", "square kilometre": "km2",
    "square kilometer": "km2", "sq km": "km2", "km2": "km2", "km²": "km2",
    "square miles": "mi2", "square mile": "mi2", "sq mi": "mi2",
    "square metres": "m2", "square meters": "m2", "square feet": "ft2", "sq ft": "ft2",
    "m2": "m2", "m²": "m2",
    "litre": "l", "litres": "l", "liter": "l", "liters": "l", "millilitres": "ml",
    "milliliters": "ml", "ml": "ml", "gallon": "gal", "gallons": "gal",
    "barrel": "bbl", "barrels": "bbl", "cubic metres": "m3", "cubic meters": "m3",
    "cubic feet": "ft3",
    # mass
    "kg": "kg", "kilogram": "kg", "kilograms": "kg", "kilogramme": "kg", "kilogrammes": "kg",
    "gram": "g", "grams": "g", "gramme": "g", "grammes": "g", "mg": "mg",
    "milligram": "mg", "milligrams": "mg", "tonne": "t", "tonnes": "t", "ton": "ton",
    "tons": "ton", "metric tons": "t", "pound": "lb", "pounds": "lb", "lb": "lb", "lbs": "lb",
    "ounce": "oz", "ounces": "oz", "oz": "oz",
    # energy and power
    "megawatt": "MW", "megawatts": "MW", "gigawatt": "GW", "gigawatts": "GW",
    "kilowatt": "kW", "kilowatts": "kW", "watt": "W", "watts": "W", "terawatt": "TW",
    "terawatts": "TW", "megawatt-hours": "MWh", "megawatt hours": "MWh",
    "kilowatt-hours": "kWh", "kilowatt hours": "kWh", "gigawatt-hours": "GWh",
    "terawatt-hours": "TWh", "calories": "kcal", "kcal": "kcal", "volts": "V",
    # speed, temperature, data, misc
    "mph": "mph", "km/h": "km/h", "kph": "km/h", "knots": "kn",
    "degrees": "degree", "degree": "degree", "degrees celsius": "°C", "degrees fahrenheit": "°F",
    "°c": "°C", "°f": "°F", "°": "degree",
    "ppm": "ppm", "ppb": "ppb", "times": "times", "fold": "times",
    "point": "point", "points": "point", "karat": "karat", "carat": "carat", "carats": "carat",
    # science and data
    "nm": "nm", "nanometre": "nm", "nanometres": "nm", "nanometer": "nm", "nanometers": "nm",
    "μm": "μm", "µm": "μm", "micrometre": "μm", "micrometres": "μm", "micrometer": "μm",
    "micrometers": "μm", "micron": "μm", "microns": "μm", "μl": "μl", "µl": "μl", "μg": "μg",
    "µg": "μg", "microgram": "μg", "micrograms": "μg", "ng": "ng", "nanograms": "ng",
    "‰": "permille", "per mille": "permille", "per mil": "permille",
    "ev": "eV", "kev": "keV", "mev": "MeV", "gev": "GeV", "tev": "TeV",
    "wh": "Wh", "joule": "J", "joules": "J", "kj": "kJ", "mj": "MJ", "gj": "GJ",
    "kilojoules": "kJ", "megajoules": "MJ", "newtons": "N", "pascals": "Pa", "kpa": "kPa",
    "mpa": "MPa", "gpa": "GPa", "hpa": "hPa", "mbar": "mbar",
    "byte": "B", "bytes": "B", "kilobytes": "kB", "megabytes": "MB", "gigabytes": "GB",
    "terabytes": "TB", "petabytes": "PB", "exabytes": "EB", "bits": "bit", "kbps": "kbit/s",
    "mbps": "Mbit/s", "gbps": "Gbit/s", "mol": "mol", "mmol": "mmol", "μmol": "μmol",
    "kelvin": "K", "hertz": "Hz", "kilohertz": "kHz", "megahertz": "MHz", "gigahertz": "GHz",
    "light-years": "ly", "light years": "ly", "astronomical units": "au",
}
# Case-sensitive unit symbols (after digits, with or without a space).
UNITS_CASED = {
    "MW": "MW", "GW": "GW", "kW": "kW", "TW": "TW", "MWh": "MWh", "kWh": "kWh", "GWh": "GWh",
    "TWh": "TWh", "GB": "GB", "MB": "MB", "TB": "TB", "kB": "kB", "Hz": "Hz", "kHz": "kHz",
    "MHz": "MHz", "GHz": "GHz", "m": "m", "g": "g", "kV": "kV", "L": "l", "mL": "ml", "μL": "μl",
    "µL": "μl", "Ma": "Ma", "ka": "ka", "Ga": "Ga", "Myr": "Ma", "kyr": "ka", "PB": "PB",
    "EB": "EB", "TeV": "TeV", "GeV": "GeV", "MeV": "MeV", "keV": "keV", "eV": "eV", "Wh": "Wh",
    "kJ": "kJ", "MJ": "MJ", "Pa": "Pa", "kPa": "kPa", "MPa": "MPa", "hPa": "hPa",
}
TIME_UNITS = {"second", "minute", "hour", "day", "week", "month", "year", "decade", "century"}
# Units whose "one" is idiomatic ("one day he will..."): "one" + these needs a rate after it.
IDIOMATIC_ONE_UNITS = TIME_UNITS

# --- rates --------------------------------------------------------------------------------------

RATE_NOUNS = {
    "year": "year", "month": "month", "week": "week", "day": "day", "hour": "hour",
    "minute": "minute", "second": "second", "quarter": "quarter", "person": "person",
    "head": "person", "capita": "person", "resident": "person", "household": "household",
    "pound": "pound", "kilogram": "kilogram", "kg": "kilogram", "barrel": "barrel",
    "share": "share", "tonne": "tonne", "ton": "ton", "gallon": "gallon", "litre": "litre",
    "liter": "litre", "unit": "unit", "megawatt-hour": "megawatt-hour",
    "kilowatt-hour": "kilowatt-hour", "night": "night", "mile": "mile", "km": "km",
    "yr": "year", "mo": "month", "wk": "week", "hr": "hour", "h": "hour",
}
RATE_ADVERBS = {
    "annually": "year", "yearly": "year", "monthly": "month", "weekly": "week", "daily": "day",
    "hourly": "hour", "nightly": "night", "a head": "person", "per head": "person",
    "per capita": "person", "a piece": "piece", "apiece": "piece", "each year": "year",
}

# --- qualifiers ---------------------------------------------------------------------------------

# Written before the number.  Value: the normalised form stored in ParsedFigure.qualifier.
QUALIFIERS_BEFORE = {
    "at least": "at least", "at most": "at most", "more than": "more than",
    "less than": "less than", "fewer than": "fewer than", "no more than": "no more than",
    "no less than": "no less than", "no fewer than": "no fewer than",
    "not more than": "not more than", "not less than": "not less than",
    "over": "over", "under": "under", "above": "above", "below": "below",
    "nearly": "nearly", "almost": "almost", "around": "around", "about": "about",
    "approximately": "approximately", "approx.": "approximately", "roughly": "roughly",
    "some": "some", "close to": "close to", "near": "near", "up to": "up to",
    "as many as": "as many as", "as much as": "as much as", "as few as": "as few as",
    "as little as": "as little as", "as high as": "as high as", "as low as": "as low as",
    "upwards of": "upwards of", "upward of": "upwards of", "in excess of": "in excess of",
    "exceeding": "exceeding", "just over": "just over", "just under": "just under",
    "just above": "just above", "just below": "just below", "well over": "well over",
    "well under": "well under", "well above": "well above", "well below": "well below",
    "a little over": "a little over", "a little under": "a little under",
    "a little more than": "a little more than", "a little less than": "a little less than",
    "slightly more than": "slightly more than", "slightly less than": "slightly less than",
    "slightly over": "slightly over", "slightly under": "slightly under",
    "far more than": "far more than", "much more than": "much more than",
    "an estimated": "estimated", "estimated": "estimated", "an average of": "average",
    "on average": "average", "averaging": "average", "an average": "average",
    "precisely": "exactly", "exactly": "exactly", "circa": "about", "ca.": "about",
    "a maximum of": "at most", "maximum of": "at most", "a minimum of": "at least",
    "minimum of": "at least", "several": "several", "a few": "a few",
}
# "several"/"a few" qualify only a bare scale word ("several hundred", "a few thousand").
VAGUE_COUNT_QUALIFIERS = {"several": (3, 9), "a few": (2, 9)}
# Symbols written before the number ("∼20", "<2 ppm", "≥ 18").
QUALIFIER_SYMBOLS = {
    "∼": "about", "~": "about", "≈": "about", "<": "less than", ">": "more than",
    "≤": "at most", "⩽": "at most", "≥": "at least", "⩾": "at least",
}
# Written right after the number ("30 or more", "100 or so", "50-plus").
QUALIFIERS_AFTER = {
    "or more": "or more", "or so": "about", "or fewer": "or fewer", "or less": "or less",
    "plus": "or more", "+": "or more", "-plus": "or more", "-odd": "about", "odd": "about",
    "-something": "something",
}
# What kind of bound each normalised qualifier expresses (for consumers that compare values).
QUALIFIER_KIND = {
    **{q: "lower" for q in ("at least", "more than", "over", "above", "no less than",
                            "no fewer than", "not less than", "upwards of", "in excess of",
                            "exceeding", "just over", "just above", "well over", "well above",
                            "a little over", "a little more than", "slightly more than",
                            "slightly over", "far more than", "much more than", "or more")},
    **{q: "upper" for q in ("at most", "less than", "fewer than", "no more than",
                            "not more than", "under", "below", "up to", "as many as",
                            "as much as", "as high as", "just under", "just below",
                            "well under", "well below", "a little under", "a little less than",
                            "slightly less than", "slightly under", "or fewer", "or less",
                            "nearly", "almost")},
    **{q: "approximate" for q in ("around", "about", "approximately", "roughly", "some",
                                  "close to", "near", "estimated", "average", "something",
                                  "several", "a few")},
    "exactly": "exact", "as few as": "upper", "as little as": "upper", "as low as": "upper",
}

# --- context words that make a number something other than a figure --------------------------

MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep",
    "Sept", "Oct", "Nov", "Dec",
)
# Words that make the following integer a label: "page 12", "Article 19", "Stage 3".
LABEL_WORDS = {
    "page", "pages", "p.", "pp.", "pg.", "section", "sections", "sec.", "§", "chapter", "ch.",
    "chap.", "figure", "figures", "fig.", "figs.", "table", "tables", "article", "art.", "no.", "nos.",
    "vol.", "volume", "issue", "item", "step", "stage", "phase", "level", "grade", "class",
    "rule", "clause", "annex", "appendix", "footnote", "note", "notes", "line", "lines",
    "verse", "row", "column", "episode", "season", "round", "exhibit", "part", "room", "gate",
    "platform", "route", "flight", "highway", "interstate", "isbn", "issn", "doi", "ref.",
    "para.", "paragraph", "paragraphs", "schedule", "box", "tier", "category", "division",
    "region", "district", "ward", "axis", "bed", "site", "zone", "eq.", "eqs.", "equation",
    "equations", "ref", "refs.", "supplement", "precinct", "unit", "suite", "apartment", "apt.", "floor",
    "resolution", "amendment", "title", "book", "act", "bill", "protocol", "model", "version",
    "v.", "ver.", "release", "week", "day", "game", "match", "lap", "hole", "track", "disc",
    "number", "nr.", "#", "h.r.", "cfr", "c.f.r.", "u.s.c.", "usc", "fr", "ad", "docket",
    "sec", "§§", "stat.", "pub.", "l.",
}
# Capitalised words that may stand before a figure without making it part of a name.
CAPITALISED_OK = {
    "the", "a", "an", "another", "about", "around", "some", "only", "just", "but", "and", "or",
    "in", "on", "at", "for", "with", "by", "of", "to", "from", "since", "after", "before",
    "during", "nearly", "almost", "over", "under", "more", "less", "fewer", "up", "roughly",
    "approximately", "estimated", "those", "these", "all", "each", "every", "exactly",
    "precisely", "when", "while", "then", "now", "so", "yet", "still", "although", "though",
    "if", "as", "further", "also", "even", "here", "there", "that", "this", "total", "among",
    "nearly", "another", "until", "than", "then", "whereas", "including", "includes", "are",
    "were", "was", "is", "be", "been", "has", "have", "had", "said", "says", "say", "killed",
    "some", "average", "within", "between", "across", "per", "via", "like", "many", "most",
    "at", "least", "almost", "top", "about", "below", "above", "last", "next", "first",
    "our", "their", "his", "her", "its", "my", "your", "we", "they", "he", "she", "it", "you",
    "i", "who", "which", "what", "where", "why", "how", "once", "twice", "yes", "no", "not",
    "nor", "because", "unless", "whether", "both", "either", "neither", "other", "others",
    "than", "upwards", "toward", "towards", "into", "onto", "upon", "without", "against",
    "population", "people", "yesterday", "today", "tomorrow", "recently", "overall",
    "altogether", "meanwhile", "currently", "previously", "however", "instead", "roughly",
    "them", "us", "me", "him", "cost", "costs", "paid", "pay", "spent", "spend", "reached",
}
# Irregular plurals and collective nouns that are counted like plurals ("1500 people").
PLURAL_NOUNS = {
    "people", "men", "women", "children", "police", "staff", "personnel", "cattle", "sheep",
    "fish", "mice", "geese", "teeth", "feet", "persons", "youth", "troops", "militia",
    "livestock", "crew", "faculty",
}
# Words ending in "s" that are not plural nouns (after a year-like number).
NOT_PLURAL = {
    "was", "has", "is", "its", "as", "this", "thus", "does", "goes", "says", "always",
    "perhaps", "less", "unless", "across", "series", "news", "plus", "versus", "whereas",
    "besides", "afterwards", "towards", "was", "his", "hers", "ours", "yours", "theirs",
    "us", "yes", "bus", "gas", "status", "census", "crisis", "basis", "analysis", "campus",
    "class", "process", "progress", "congress", "business", "address", "success", "access",
    "express", "press", "chess", "mass", "pass", "loss", "boss", "cross", "dress", "grass",
    "glass", "miss", "kiss", "focus", "bonus", "virus", "minus", "genius", "consensus",
    "elections", "olympics", "games", "protests", "riots", "floods", "attacks", "uprisings",
    "midterms", "primaries", "polls", "accords", "talks", "sanctions", "championships",
}
# Words before a year-like number that make it a year even before a plural noun
# ("the 2016 elections", "in 2019 protests").
YEAR_PREPOSITIONS = {
    "the", "in", "since", "of", "during", "by", "from", "until", "till", "to", "after",
    "before", "this", "that", "its", "their", "his", "her", "our", "early", "late", "mid",
    "between", "and", "fiscal", "class",
}
