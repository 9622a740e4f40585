// Implements corpus.h.
#include "bench/corpus.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <set>

namespace kpo::bench {

namespace {

// The word tables are laid out for reading, not by clang-format.
// clang-format off
// Function words and common verbs: the head of the frequency curve.
const char* const kFunctionWords[] = {
    "de", "het", "en", "van", "een", "in", "op", "te", "met", "voor", "is", "dat", "die",
    "aan", "bij", "door", "zijn", "wordt", "om", "als", "niet", "ook", "of", "naar", "er",
    "over", "uit", "worden", "kan", "deze", "tot", "dit", "hun", "meer", "kunnen", "heeft",
    "moet", "hebben", "onder", "tussen", "nog", "wel", "zo", "maar", "dan", "binnen", "via",
    "zoals", "waarbij", "andere", "veel", "geen", "alle", "elke", "eigen", "daarnaast",
    "hierbij", "omdat", "wanneer", "waar", "welke", "zich", "we", "u", "ze", "per", "ook",
    "vaak", "steeds", "samen", "daarbij", "hierover", "echter", "bijvoorbeeld", "vooral",
    "mogelijk", "goed", "nieuwe", "verschillende", "belangrijke", "gaat", "komt", "laat",
};

// The field: nouns with plurals and compounds, adjectives, verbs and
// multi-word expressions, in rough order of frequency.
const char* const kContentWords[] = {
    "gemeente", "aanpak", "ondermijning", "informatie", "gemeenten", "criminaliteit",
    "samenwerking", "burgemeester", "partners", "politie", "vergunning", "integrale aanpak",
    "RIEC", "bestuurlijke", "signalen", "ondermijnende criminaliteit", "Bibob", "witwassen",
    "openbaar ministerie", "Belastingdienst", "handreiking", "onderzoek", "praktijk",
    "ondernemers", "criminele", "georganiseerde criminaliteit", "vastgoed", "drugs",
    "bestuurlijke aanpak", "maatregelen", "casus", "instrumenten", "mensenhandel", "horeca",
    "regionale", "lokale", "landelijke", "integrale", "gegevens", "informatiedeling",
    "ketenpartners", "wet bibob", "toezicht", "handhaving", "bedrijven", "panden",
    "woningen", "netwerk", "netwerken", "risico's", "risico", "analyse", "inzicht",
    "weerbaarheid", "ambtenaren", "bestuurders", "interventies", "interventie",
    "vergunningen", "vergunningverlening", "Bibob-toets", "Bibob-onderzoek", "Wwft",
    "ongebruikelijke transacties", "melding", "meldingen", "FIOD", "Douane", "hennepteelt",
    "hennepkwekerij", "hennepkwekerijen", "drugslaboratorium", "drugslaboratoria",
    "drugsafval", "drugsdumping", "synthetische drugs", "cocaïne", "xtc", "amfetamine",
    "precursoren", "chemicaliën", "loodsen", "schuren", "buitengebied", "agrarische",
    "vrijkomende agrarische bebouwing", "bedrijventerrein", "bedrijventerreinen",
    "vakantiepark", "vakantieparken", "recreatiepark", "vastgoedfraude", "vastgoedsector",
    "makelaars", "notarissen", "accountants", "poortwachters", "banken", "trustkantoren",
    "arbeidsuitbuiting", "uitbuiting", "prostitutie", "seksbranche", "mensensmokkel",
    "slachtoffers", "slachtoffer", "arbeidsmigranten", "uitzendbureaus", "huisvesting",
    "huisjesmelkers", "verhuurder", "huurders", "woningsluiting", "artikel 13b",
    "Opiumwet", "sluiting", "last onder dwangsom", "bestuursdwang", "exploitatievergunning",
    "horecavergunning", "drank- en horecawet", "coffeeshops", "shishalounges",
    "barbershops", "kapperszaken", "nagelstudio's", "autobedrijven", "witwasconstructies",
    "witwasconstructie", "contant geld", "contante betalingen", "ongebruikelijk bezit",
    "afpakken", "beslag", "beslaglegging", "ontneming", "vermogen", "cryptovaluta",
    "bitcoin", "underground banking", "money transfer", "hawala", "geldezels", "katvangers",
    "stromannen", "bedrijfsovername", "faillissement", "faillissementsfraude",
    "rechtspersonen", "stichtingen", "zorgfraude", "subsidiefraude", "Outlaw Motorcycle Gangs",
    "motorclub", "motorclubs", "clubhuis", "jonge aanwas", "jongeren", "rekrutering",
    "criminele carrière", "preventie", "weerbare overheid", "integriteit",
    "integriteitsbeoordeling", "intimidatie", "bedreiging", "bedreigingen", "raadsleden",
    "wethouders", "ambtelijke", "privacy", "AVG", "convenant", "samenwerkingsverband",
    "casusoverleg", "interventiematrix", "barrièremodel", "barrières", "fenomeenonderzoek",
    "ondermijningsbeeld", "ondermijningsbeelden", "indicatoren", "zeehaven", "zeehavens",
    "logistieke keten", "containers", "transportbedrijven", "luchthaven", "havenbedrijf",
    "afvalcriminaliteit", "milieucriminaliteit", "dumpingen", "afvalverwerkers",
    "glastuinbouw", "kassen", "boeren", "erfbetreding", "wijkagent", "wijkagenten",
    "boa's", "toezichthouders", "handhavers", "wijkaanpak", "gebiedsgerichte aanpak",
    "vrijplaatsen", "woonwagenlocaties", "woonwagenbewoners", "coördinatie", "regie",
    "projectleider", "programmamanager", "stuurgroep", "convenantpartners", "provincie",
    "provincies", "waterschappen", "Koninklijke Marechaussee", "Arbeidsinspectie", "NVWA",
    "IND", "UWV", "LIEC", "EURIEC", "grensoverschrijdende", "Belgische", "Duitse",
    "factsheet", "draaiboek", "stappenplan", "checklist", "webinar", "cursus", "training",
    "bijeenkomst", "kennissessie", "casussen", "ervaringen", "geleerde lessen",
    "voorbeelden", "voorbeeld", "werkwijze", "werkwijzen", "rapport", "rapportage",
    "evaluatie", "monitor", "nieuwsbrief", "publicatie", "Kennisplatform Ondermijning",
    "redactie", "werkplaats", "financieel rechercheren", "financiële", "fiscale",
    "strafrechtelijke", "bestuursrechtelijke", "civielrechtelijke", "preventieve",
    "repressieve", "effectieve", "praktische", "concrete", "gezamenlijke", "relevante",
    "signaleren", "aanpakken", "delen", "uitvoeren", "ondersteunen", "opstellen",
    "verstrekken", "weigeren", "intrekken", "toetsen", "beoordelen", "screenen",
    "controleren", "rechercheren", "verhuren", "exploiteren", "afpakken", "voorkomen",
    "verstoren", "ontmantelen", "opsporen", "vervolgen", "herkennen", "melden",
    "adviseren", "begeleiden", "investeren", "organiseren", "ondermijnend", "verdacht",
    "verdachte", "verdachten", "crimineel", "criminelen", "vermogende", "malafide",
    "bonafide", "legale", "illegale", "illegaal", "bovenwereld", "onderwereld",
    "verwevenheid", "facilitators", "dienstverleners", "advocaten", "juristen",
    "sleutelfiguren", "kopstukken", "liquidaties", "geweld", "explosies", "aanslagen",
    "drugshandel", "drugssmokkel", "drugsrunners", "uithalers", "haven", "corruptie",
    "omkoping", "ambtelijke corruptie", "lekken", "ondermijningsfonds", "pilot", "pilots",
    "programma", "projecten", "project", "subsidie", "financiering", "middelen",
    "capaciteit", "expertise", "kennis", "kennisdeling", "opleiding", "bewustwording",
    "weerbaarheidsscan", "quickscan", "risicoanalyse", "risicoprofiel", "registers",
    "Kamer van Koophandel", "handelsregister", "BRP", "kadaster", "eigendom",
    "eigenaren", "transacties", "transactie", "huurcontracten", "huurprijs",
    "leegstand", "leegstaande", "verpaupering", "overlast", "leefbaarheid", "wijken",
    "buurten", "inwoners", "bewoners", "meldpunt", "Meld Misdaad Anoniem", "tips",
    "tipgevers", "communicatie", "campagne", "media", "woordvoering", "publiek-private samenwerking",
    "branchevereniging", "brancheorganisaties", "keurmerk", "certificering", "beveiliging",
    "integrale beveiliging", "cameratoezicht", "ANPR", "data", "datagedreven",
    "dashboard", "algoritmes", "jurisprudentie", "uitspraak", "Raad van State",
    "rechter", "rechtbank", "hoger beroep", "bezwaar", "zienswijze", "dossier",
    "dossiers", "ideeën", "geïnd", "geëxploiteerd", "geïnvesteerd",
};

// Words typical of a theme: an item's body draws some of its words here.
const std::map<std::string, std::vector<std::string>>& TopicalWords() {
  static const std::map<std::string, std::vector<std::string>> kTopical = {
      {"bibob", {"Bibob", "wet bibob", "Bibob-toets", "Bibob-onderzoek", "vergunning", "horeca",
                 "exploitatievergunning", "integriteitsbeoordeling", "LBB", "weigeren"}},
      {"witwassen", {"witwassen", "witwasconstructies", "Wwft", "ongebruikelijke transacties",
                     "contant geld", "katvangers", "stromannen", "financieel rechercheren"}},
      {"drugs", {"hennepteelt", "hennepkwekerij", "hennepkwekerijen", "drugs", "Opiumwet",
                 "artikel 13b", "woningsluiting", "drugshandel", "coffeeshops"}},
      {"synthetische-drugs", {"drugslaboratorium", "drugslaboratoria", "drugsafval",
                              "drugsdumping", "synthetische drugs", "precursoren",
                              "amfetamine", "xtc", "chemicaliën"}},
      {"mensenhandel", {"mensenhandel", "mensensmokkel", "slachtoffers", "uitbuiting",
                        "prostitutie", "seksbranche"}},
      {"arbeidsuitbuiting", {"arbeidsuitbuiting", "arbeidsmigranten", "uitzendbureaus",
                             "huisvesting", "Arbeidsinspectie", "uitbuiting"}},
      {"vastgoed", {"vastgoed", "vastgoedfraude", "vastgoedsector", "makelaars", "notarissen",
                    "huurcontracten", "kadaster", "eigendom", "transacties"}},
      {"omg", {"Outlaw Motorcycle Gangs", "motorclub", "motorclubs", "clubhuis", "intimidatie",
               "geweld"}},
      {"afpakken", {"afpakken", "ongebruikelijk bezit", "beslag", "beslaglegging", "ontneming",
                    "vermogen", "contant geld"}},
      {"ondermijningsbeeld", {"ondermijningsbeeld", "ondermijningsbeelden",
                              "fenomeenonderzoek", "indicatoren", "analyse", "risicoanalyse"}},
      {"vrijplaatsen", {"vrijplaatsen", "woonwagenlocaties", "gebiedsgerichte aanpak",
                        "wijkaanpak", "leefbaarheid"}},
      {"vakantieparken", {"vakantiepark", "vakantieparken", "recreatiepark", "huisvesting",
                          "arbeidsmigranten"}},
      {"bedrijventerreinen", {"bedrijventerrein", "bedrijventerreinen", "loodsen",
                              "ondernemers", "beveiliging", "keurmerk"}},
      {"jonge-aanwas", {"jonge aanwas", "jongeren", "rekrutering", "criminele carrière",
                        "preventie", "drugsrunners"}},
      {"logistiek", {"zeehaven", "zeehavens", "logistieke keten", "containers", "uithalers",
                     "havenbedrijf", "transportbedrijven"}},
      {"afvalcriminaliteit", {"afvalcriminaliteit", "milieucriminaliteit", "dumpingen",
                              "afvalverwerkers", "drugsafval"}},
      {"prostitutie", {"prostitutie", "seksbranche", "mensenhandel", "vergunning"}},
      {"buitengebied", {"buitengebied", "agrarische", "vrijkomende agrarische bebouwing",
                        "schuren", "boeren", "glastuinbouw", "kassen", "erfbetreding"}},
      {"underground-banking", {"underground banking", "money transfer", "hawala",
                               "cryptovaluta", "bitcoin", "geldezels"}},
      {"weerbare-overheid", {"weerbare overheid", "intimidatie", "bedreiging", "raadsleden",
                             "ambtenaren", "weerbaarheidsscan"}},
      {"integriteit", {"integriteit", "corruptie", "omkoping", "ambtelijke corruptie",
                       "lekken", "screenen"}},
      {"informatiedeling", {"informatiedeling", "privacy", "AVG", "convenant",
                            "samenwerkingsverband", "gegevens"}},
      {"pps", {"publiek-private samenwerking", "branchevereniging", "brancheorganisaties",
               "keurmerk", "ondernemers"}},
      {"communicatie", {"communicatie", "campagne", "media", "woordvoering",
                        "Meld Misdaad Anoniem"}},
  };
  return kTopical;
}

const char* const kTitleHeads[] = {"Handreiking", "Factsheet", "Aanpak van", "Werkwijze",
                                   "Stappenplan", "Cursus", "Webinar", "Nieuws:",
                                   "Praktijkvoorbeeld", "Checklist", "Onderzoek naar"};

// clang-format on

std::string Capitalize(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

size_t CountWords(const std::string& unit) {
  // Words as the analyzer splits them: hyphens, spaces and apostrophes separate.
  size_t n = 0;
  bool in = false;
  for (char c : unit) {
    bool word = c != ' ' && c != '-' && c != '\'';
    if (word && !in) ++n;
    in = word;
  }
  return n;
}

template <typename T>
const T& Pick(Rng* rng, const std::vector<T>& values) {
  return values[rng->Below(values.size())];
}

std::string Date(Rng* rng) {
  // Sized for any int, so GCC's -Wformat-truncation has nothing to prove.
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", rng->Between(2012, 2025), rng->Between(1, 12),
                rng->Between(1, 28));
  return buf;
}

}  // namespace

uint64_t Rng::Next() {
  uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

CorpusGenerator::CorpusGenerator(const content::Vocabulary& vocabulary, CorpusOptions options)
    : options_(options) {
  for (const char* w : kFunctionWords) words_.emplace_back(w);
  first_content_ = words_.size();
  for (const char* w : kContentWords) words_.emplace_back(w);
  // Zipf-Mandelbrot weights 1/(rank + 2.7): the function words take roughly
  // half of the running text, the long tail of the field the rest.
  double total = 0;
  for (size_t r = 0; r < words_.size(); ++r) {
    total += 1.0 / (static_cast<double>(r) + 2.7);
    cumulative_.push_back(total);
  }
  for (double& c : cumulative_) c /= total;

  auto keys = [&](const char* kind, std::vector<std::string>* out) {
    auto it = vocabulary.all().find(kind);
    if (it == vocabulary.all().end()) return;
    for (const auto& entry : it->second) out->push_back(entry.first);
  };
  keys(content::Vocabulary::kThemes, &themes_);
  keys(content::Vocabulary::kRegions, &regions_);
  keys(content::Vocabulary::kWerkplaatsen, &werkplaatsen_);
  keys(content::Vocabulary::kGroups, &groups_);
  for (const auto& [theme, words] : TopicalWords()) {
    if (std::find(themes_.begin(), themes_.end(), theme) != themes_.end()) topical_[theme] = words;
  }
}

std::string CorpusGenerator::Word(Rng* rng, const std::vector<std::string>& topical) const {
  if (!topical.empty() && rng->Chance(0.06)) return Pick(rng, topical);
  double u = rng->Unit();
  size_t r = static_cast<size_t>(std::upper_bound(cumulative_.begin(), cumulative_.end(), u) -
                                 cumulative_.begin());
  return words_[std::min(r, words_.size() - 1)];
}

std::string CorpusGenerator::ContentWord(Rng* rng, const std::vector<std::string>& topical) const {
  if (!topical.empty() && rng->Chance(0.4)) return Pick(rng, topical);
  for (;;) {
    std::string w = Word(rng, {});
    if (std::find(std::begin(kFunctionWords), std::end(kFunctionWords), w) ==
        std::end(kFunctionWords)) {
      return w;
    }
  }
}

std::string CorpusGenerator::Sentence(Rng* rng, const std::vector<std::string>& topical, int words,
                                      int* counted) const {
  std::string out;
  int n = 0;
  while (n < words) {
    std::string w = Word(rng, topical);
    if (!out.empty()) out += rng->Chance(0.06) ? ", " : " ";
    out += w;
    n += static_cast<int>(CountWords(w));
  }
  *counted += n;
  return Capitalize(out) + ".";
}

Item CorpusGenerator::Make(size_t n) const {
  Rng rng(options_.seed ^ (0x51ED2701ull * (n + 1)));
  Item item;
  char id[32];
  std::snprintf(id, sizeof id, "bench-%07zu", n);
  item.id = id;
  item.source_path = std::string("bench/") + id + ".md";
  item.content_hash = std::to_string(options_.seed) + "-" + std::to_string(n);

  // Type: handreiking 30%, product 20%, cursus 10%, nieuws 30%, pagina 10%.
  static const char* const kTypes[] = {"handreiking", "handreiking", "handreiking", "product",
                                       "product",     "cursus",      "nieuws",      "nieuws",
                                       "nieuws",      "pagina"};
  item.type = kTypes[rng.Below(10)];
  int theme_count = rng.Chance(0.55) ? 1 : (rng.Chance(0.7) ? 2 : 3);
  for (int i = 0; i < theme_count && !themes_.empty(); ++i) {
    const std::string& t = Pick(&rng, themes_);
    if (std::find(item.themes.begin(), item.themes.end(), t) == item.themes.end()) {
      item.themes.push_back(t);
    }
  }
  int region_count = rng.Chance(0.8) ? 1 : 2;
  for (int i = 0; i < region_count && !regions_.empty(); ++i) {
    const std::string& r = Pick(&rng, regions_);
    if (std::find(item.regions.begin(), item.regions.end(), r) == item.regions.end()) {
      item.regions.push_back(r);
    }
  }
  if (!werkplaatsen_.empty() && rng.Chance(0.35)) item.werkplaats = Pick(&rng, werkplaatsen_);
  // Access: public 60%, members 25%, restricted 15% (1-3 partner groups,
  // gemeenten in about 40% of them).
  double a = rng.Unit();
  if (a < 0.60) {
    item.access = "public";
  } else if (a < 0.85 || groups_.empty()) {
    item.access = "members";
  } else {
    item.access = "restricted";
    if (rng.Chance(0.4) &&
        std::find(groups_.begin(), groups_.end(), "gemeenten") != groups_.end()) {
      item.groups.push_back("gemeenten");
    }
    int extra = rng.Between(item.groups.empty() ? 1 : 0, 2);
    for (int i = 0; i < extra; ++i) {
      const std::string& g = Pick(&rng, groups_);
      if (std::find(item.groups.begin(), item.groups.end(), g) == item.groups.end()) {
        item.groups.push_back(g);
      }
    }
  }
  item.published = Date(&rng);
  // 97% published; drafts and archived items belong to a werkplaats.
  double s = rng.Unit();
  if (s >= 0.97 && !werkplaatsen_.empty()) {
    item.status = s < 0.99 ? "draft" : "archived";
    if (item.werkplaats.empty()) item.werkplaats = Pick(&rng, werkplaatsen_);
  }

  std::vector<std::string> topical;
  for (const auto& t : item.themes) {
    auto it = topical_.find(t);
    if (it != topical_.end()) topical.insert(topical.end(), it->second.begin(), it->second.end());
  }

  // Title: an optional head, then 2-5 content words.
  std::string title = rng.Chance(0.5) ? kTitleHeads[rng.Below(std::size(kTitleHeads))] : "";
  int title_words = rng.Between(2, 5);
  for (int i = 0; i < title_words; ++i) {
    if (!title.empty())
      title += i > 0 && rng.Chance(0.2) ? (rng.Chance(0.5) ? " en " : " in de ") : " ";
    title += ContentWord(&rng, topical);
  }
  item.title = Capitalize(title);
  int ignored = 0;
  item.summary = Sentence(&rng, topical, rng.Between(12, 24), &ignored);
  int tag_count = rng.Between(0, 3);
  for (int i = 0; i < tag_count; ++i) {
    std::string tag = ContentWord(&rng, topical);
    std::transform(tag.begin(), tag.end(), tag.begin(), [](char c) {
      return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    });
    item.tags.push_back(tag);
  }

  // Body: paragraphs of sentences, with a heading now and then and the odd
  // bullet list; body_text is what the Markdown renders to as plain text.
  const int target = rng.Between(options_.min_body_words, options_.max_body_words);
  int counted = 0;
  std::string md, text;
  int paragraph = 0;
  while (counted < target) {
    if (paragraph > 0 && paragraph % 3 == 0) {
      std::string heading =
          Capitalize(ContentWord(&rng, topical) + " " + ContentWord(&rng, topical));
      counted += static_cast<int>(CountWords(heading));
      md += "## " + heading + "\n\n";
      text += heading + "\n\n";
    }
    if (rng.Chance(0.12)) {
      for (int i = rng.Between(3, 5); i > 0; --i) {
        std::string entry = Sentence(&rng, topical, rng.Between(4, 9), &counted);
        md += "- " + entry + "\n";
        text += entry + "\n";
      }
    } else {
      std::string para;
      for (int i = rng.Between(2, 5); i > 0 && counted < target; --i) {
        if (!para.empty()) para += " ";
        para += Sentence(&rng, topical, rng.Between(7, 20), &counted);
      }
      md += para + "\n";
      text += para + "\n";
    }
    md += "\n";
    text += "\n";
    ++paragraph;
  }
  item.body_markdown = std::move(md);
  while (!text.empty() && text.back() == '\n') text.pop_back();
  item.body_text = std::move(text);
  return item;
}

std::vector<QuerySpec> CorpusGenerator::DistinctQueries(size_t n, uint64_t seed) const {
  Rng rng(seed);
  std::set<std::string> seen;
  std::vector<QuerySpec> out;
  auto letters_only = [](const std::string& w) {
    return !w.empty() && std::all_of(w.begin(), w.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    });
  };
  auto lower = [](std::string w) {
    for (char& c : w) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return w;
  };
  // A single word of at least `min` letters (no expression, no digits).
  auto single = [&](size_t min) {
    for (;;) {
      std::string w = ContentWord(&rng, {});
      if (letters_only(w) && w.size() >= min) return lower(w);
    }
  };
  while (out.size() < n) {
    const double kind = rng.Unit();
    std::string q;
    const char* name = "word";
    if (kind < 0.45) {
      q = ContentWord(&rng, {});
      // An expression of the vocabulary ("wet bibob") is typed as words.
      if (q.find(' ') != std::string::npos) name = "words";
    } else if (kind < 0.70) {
      name = "words";
      const int words = rng.Between(2, 4);
      for (int i = 0; i < words; ++i) q += (i ? " " : "") + ContentWord(&rng, {});
    } else if (kind < 0.82) {
      // Consecutive words of an item's body: a phrase that occurs.
      const Item item = Make(rng.Below(options_.items));
      std::vector<std::string> words;
      std::string w;
      for (char c : item.body_text + " ") {
        if (std::isalpha(static_cast<unsigned char>(c))) {
          w.push_back(c);
        } else if (!w.empty()) {
          words.push_back(lower(w));
          w.clear();
        }
      }
      name = "phrase";
      const size_t len = static_cast<size_t>(rng.Between(2, 3));
      if (words.size() < len) continue;
      const size_t at = rng.Below(words.size() - len + 1);
      q = "\"";
      for (size_t i = 0; i < len; ++i) q += (i ? " " : "") + words[at + i];
      q += "\"";
    } else if (kind < 0.91) {
      name = "prefix";
      const std::string w = single(6);
      q = w.substr(0, static_cast<size_t>(rng.Between(4, 6))) + "*";
    } else {
      name = "typo";
      std::string w = single(6);
      const size_t at = 1 + rng.Below(w.size() - 2);
      switch (rng.Below(4)) {
        case 0:
          w.erase(at, 1);
          break;
        case 1:
          w.insert(at, 1, w[at]);
          break;
        case 2:
          std::swap(w[at], w[at + 1]);
          break;
        default:
          w[at] = static_cast<char>('a' + rng.Below(26));
          break;
      }
      q = w;
    }
    if (seen.insert(q).second) out.push_back({q, {}, name});
  }
  return out;
}

std::vector<QueryClass> QueryMix() {
  std::vector<QueryClass> mix;
  auto plain = [](std::initializer_list<const char*> qs) {
    std::vector<QuerySpec> out;
    for (const char* q : qs) out.push_back({q, {}});
    return out;
  };
  // clang-format off
  mix.push_back({"één woord",
                 plain({"witwassen", "bibob", "vergunning", "hennepkwekerij", "mensenhandel",
                        "vastgoedfraude", "gemeente", "ondermijning", "drugslaboratoria",
                        "burgemeester", "horeca", "riec", "integriteit", "cryptovaluta",
                        "vakantieparken", "afpakken", "arbeidsuitbuiting", "informatiedeling",
                        "zeehaven", "katvangers"})});
  mix.push_back({"meerdere woorden",
                 plain({"bibob vergunning horeca", "witwassen vastgoed",
                        "hennepkwekerij buitengebied", "mensenhandel prostitutie",
                        "gemeente integrale aanpak", "drugsafval dumpingen schuren",
                        "ondermijning bedrijventerreinen", "burgemeester sluiting woning",
                        "informatiedeling privacy convenant", "jongeren rekrutering preventie",
                        "underground banking cryptovaluta", "intimidatie raadsleden",
                        "makelaars notarissen poortwachters", "zeehaven containers uithalers"})});
  mix.push_back({"woordgroep \"…\"",
                 plain({"\"integrale aanpak\"", "\"wet bibob\"", "\"openbaar ministerie\"",
                        "\"jonge aanwas\"", "\"ondermijnende criminaliteit\"",
                        "\"bestuurlijke aanpak\"", "\"artikel 13b\"",
                        "\"georganiseerde criminaliteit\"", "\"money transfer\"",
                        "\"ongebruikelijke transacties\"", "\"last onder dwangsom\"",
                        "\"vrijkomende agrarische bebouwing\""})});
  mix.push_back({"voorvoegsel*",
                 plain({"hennep*", "witwas*", "vergun*", "drugs*", "crimin*", "ondermijn*",
                        "vastgoed*", "mensen*", "bestuur*", "integr*"})});
  mix.push_back({"tikfout",
                 plain({"witwasen", "hennepkwekrij", "vastgoedfrude", "mensenhandl",
                        "ondermijnig", "burgemeeser", "vergunnig", "integritiet",
                        "drugslaboratoira", "prostitusie"})});
  mix.push_back({"lege zoekvraag", plain({""})});
  mix.push_back({"met filters",
                 {{"aanpak", {{"theme", "witwassen"}}},
                  {"vergunning", {{"type", "handreiking,product"}}},
                  {"", {{"theme", "drugs"}, {"region", "riec-limburg"}}},
                  {"gemeente", {{"year", "2023"}}},
                  {"hennepkwekerij", {{"region", "riec-brabant-zeeland,riec-limburg"}}},
                  {"", {{"type", "nieuws"}}}}});
  // clang-format on
  return mix;
}

}  // namespace kpo::bench
