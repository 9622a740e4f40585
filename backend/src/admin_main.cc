// kpo-admin: account administration from the shell, acting as the local
// administrator "kpo-admin" (so every change is in the audit log).
// Owns: parsing the command line and printing results; every rule lives in
// access/auth_service.h. May not touch: SQL, HTTP.
// Exit status: 0 done, 1 the operation failed, 2 the command line is wrong.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "access/auth_service.h"
#include "common/file.h"
#include "content/vocabulary.h"
#include "knowledge/index_applier.h"
#include "store/item_store.h"
#include "store/sqlite.h"

namespace {

using kpo::Status;
using kpo::access::AuthOptions;
using kpo::access::AuthService;

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

const char* const kUsage =
    "Gebruik: kpo-admin --data MAP OPDRACHT\n"
    "\n"
    "Opdrachten:\n"
    "  user add EMAIL --name NAAM --role ROL [--group GROEP]... [--werkplaats W]...\n"
    "                       maakt een account; het wachtwoord komt van de invoer (1 regel)\n"
    "  user list            toont alle accounts\n"
    "  user disable EMAIL   blokkeert een account en beëindigt zijn sessies\n"
    "  user enable EMAIL    heft de blokkade op\n"
    "  token create NAAM --role ROL [--group GROEP]...\n"
    "                       maakt een API-token en toont het eenmalig\n"
    "  token list           toont alle tokens (zonder geheim)\n"
    "  token revoke ID      trekt een token in\n"
    "  audit [--page N]     toont het auditlog, nieuwste eerst (20 per pagina)\n"
    "  demo                 maakt de demo-accounts (een per rol) en toont hun wachtwoorden\n"
    "  backup MAP           kopieert elke database (ook terwijl kpo-server draait) en de\n"
    "                       bijlagen naar de nieuwe, lege MAP\n"
    "  restore MAP          zet een backup terug (alleen met kpo-server gestopt) en\n"
    "                       herbouwt de zoekindex uit de database\n"
    "  reindex              herbouwt de zoekindex uit de database; een draaiende server\n"
    "                       bouwt hem ernaast en wisselt hem in één keer (geen onderbreking)\n"
    "\n"
    "Rollen: member, editor, redactie, academie, admin.\n";

// The partner groups of content/vocabulary.yaml (`groups`), used only when
// the data directory holds no vocabulary yet (before the first kpo-index).
// The vocabulary in kpo.sqlite wins whenever it is there.
const char* const kFallbackGroups[] = {
    "gemeenten", "provincies", "politie", "om",   "belastingdienst",
    "fiod",      "douane",     "nla",     "kmar", "ind",
    "uwv",       "nvwa",       "riec",    "liec",
};

int Usage(const std::string& problem) {
  std::cerr << "kpo-admin: " << problem << "\n\n" << kUsage;
  return kExitUsage;
}

int Fail(const Status& status) {
  // The operator is the one who would read the server log, so the internal
  // cause is shown too.
  std::cerr << "kpo-admin: " << kpo::OperatorText(status) << "\n";
  return kExitFailure;
}

// Positional words and --options of one command. Options in `multi` may
// repeat; every option takes a value.
struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::vector<std::string>> options;

  std::optional<std::string> One(const std::string& name) const {
    auto it = options.find(name);
    if (it == options.end() || it->second.empty()) return std::nullopt;
    return it->second.back();
  }
  std::vector<std::string> All(const std::string& name) const {
    auto it = options.find(name);
    return it == options.end() ? std::vector<std::string>{} : it->second;
  }
};

// Splits `words` into positionals and options from `allowed`. Errors are
// returned as a Dutch usage message.
std::optional<std::string> ParseArgs(const std::vector<std::string>& words,
                                     const std::set<std::string>& allowed,
                                     const std::set<std::string>& multi, Args* out) {
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w.size() > 2 && w.compare(0, 2, "--") == 0) {
      std::string name = w.substr(2);
      std::string value;
      size_t eq = name.find('=');
      if (eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
      } else if (i + 1 < words.size()) {
        value = words[++i];
      } else {
        return "--" + name + " heeft een waarde nodig";
      }
      if (allowed.count(name) == 0) return "onbekende optie --" + name;
      auto& values = out->options[name];
      if (!values.empty() && multi.count(name) == 0) return "--" + name + " mag maar één keer";
      values.push_back(value);
    } else {
      out->positional.push_back(w);
    }
  }
  return std::nullopt;
}

std::optional<int64_t> ParseNumber(const std::string& text) {
  int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || value < 1) return std::nullopt;
  return value;
}

std::string Join(const std::vector<std::string>& list) {
  std::string out;
  for (const auto& s : list) out += (out.empty() ? "" : ",") + s;
  return out.empty() ? "-" : out;
}

std::string FormatTime(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Reads one line from stdin without echo when it is a terminal.
std::optional<std::string> ReadPassword() {
  const bool tty = isatty(STDIN_FILENO) != 0;
  termios saved{};
  if (tty) {
    std::cerr << "Wachtwoord (10 tot 200 tekens): " << std::flush;
    if (tcgetattr(STDIN_FILENO, &saved) == 0) {
      termios quiet = saved;
      quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
      tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
  }
  std::string line;
  bool got = static_cast<bool>(std::getline(std::cin, line));
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::cerr << "\n";
  }
  if (!got) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// Fills the allowed groups and werkplaatsen from the vocabulary the indexer
// stored in `data_dir`/kpo.sqlite; falls back to the fixed partner groups
// (and any well-formed werkplaats) when there is none yet.
void LoadAllowedKeys(const std::string& data_dir, bool announce, AuthOptions* options) {
  const std::string items = (std::filesystem::path(data_dir) / "kpo.sqlite").string();
  // Why there is no vocabulary, for the operator: the file and its error.
  std::string reason;
  std::error_code ec;
  if (!std::filesystem::exists(items, ec)) {
    reason = items + " ontbreekt (" + (ec ? ec.message() : std::strerror(ENOENT)) +
             "); voer eerst kpo-index uit";
  } else if (auto store = kpo::store::ItemStore::OpenReadOnly(items); !store.ok()) {
    reason = items + " is niet leesbaar: " + kpo::OperatorText(store.status());
  } else if (auto yaml = (*store)->GetDocument("vocabulary"); !yaml.ok() || yaml->empty()) {
    reason = items + " bevat geen vocabulaire" +
             (yaml.ok() ? std::string() : ": " + kpo::OperatorText(yaml.status()));
  } else if (auto vocabulary = kpo::content::Vocabulary::Parse(*yaml); !vocabulary.ok()) {
    reason =
        "de vocabulaire in " + items + " is ongeldig: " + kpo::OperatorText(vocabulary.status());
  } else {
    std::set<std::string> groups;
    std::set<std::string> werkplaatsen;
    const auto& kinds = vocabulary->all();
    auto g = kinds.find(kpo::content::Vocabulary::kGroups);
    if (g != kinds.end()) {
      for (const auto& entry : g->second) groups.insert(entry.first);
    }
    auto w = kinds.find(kpo::content::Vocabulary::kWerkplaatsen);
    if (w != kinds.end()) {
      for (const auto& entry : w->second) werkplaatsen.insert(entry.first);
    }
    options->allowed_groups = std::move(groups);
    options->allowed_werkplaatsen = std::move(werkplaatsen);
    return;
  }
  options->allowed_groups =
      std::set<std::string>(std::begin(kFallbackGroups), std::end(kFallbackGroups));
  if (announce) {
    std::cerr << "kpo-admin: let op: geen vocabulaire gevonden: " << reason
              << ". De vaste lijst partnergroepen wordt gebruikt en elke werkplaats van de "
                 "vorm a-z, 0-9 en - wordt aanvaard.\n";
  }
}

void PrintUser(const kpo::access::User& u) {
  std::cout << u.id << "\t" << u.email << "\t" << kpo::RoleName(u.role) << "\t"
            << (u.disabled ? "geblokkeerd" : "actief") << "\t" << Join(u.groups) << "\t"
            << Join(u.werkplaatsen) << "\t" << u.name << "\n";
}

// --- backup, restore, reindex (platform, issue 13; docs/operations.md) ------

namespace fs = std::filesystem;

constexpr const char* kBackupManifest = "kpo-backup.txt";

Status FileError(const std::string& what, const std::error_code& ec) {
  return Status::Error(kpo::ErrorCode::kStorageError, what + ": " + ec.message());
}

// Copies the attachments directory `from` to `to`, readable by the owner
// only: fs::copy keeps the source's bits, and the umask does not narrow
// them.
Status CopyAttachments(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::copy(from, to, fs::copy_options::recursive, ec);
  if (ec) return FileError("bijlagen kopiëren naar " + to.string(), ec);
  fs::permissions(to, fs::perms::group_all | fs::perms::others_all, fs::perm_options::remove, ec);
  for (fs::recursive_directory_iterator it(to, ec), end; !ec && it != end; it.increment(ec)) {
    fs::permissions(it->path(), fs::perms::group_all | fs::perms::others_all,
                    fs::perm_options::remove, ec);
  }
  return ec ? FileError("bijlagen afschermen in " + to.string(), ec) : Status::Ok();
}

// The SQLite databases of a directory: its *.sqlite files.
std::vector<std::string> Databases(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".sqlite" && it->is_regular_file(ec)) {
      names.push_back(it->path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Copies every database (one consistent snapshot each, SQLite's online
// backup API) and then the attachments: an attachment is written before
// the row that names it, so every one a copied database names is copied.
int Backup(const std::string& data_dir, const std::string& target) {
  std::error_code ec;
  if (fs::exists(target, ec) && !fs::is_empty(target, ec)) {
    return Fail(Status::Error(kpo::ErrorCode::kInvalidParameter,
                              target + " bestaat al en is niet leeg; kies een nieuwe map"));
  }
  fs::create_directories(target, ec);
  if (ec) return Fail(FileError(target, ec));
  const auto names = Databases(data_dir);
  if (names.empty()) {
    return Fail(Status::Error(kpo::ErrorCode::kStorageError,
                              "geen databases (*.sqlite) gevonden in " + data_dir));
  }
  std::ofstream manifest(fs::path(target) / kBackupManifest);
  manifest << "KPO-backup van " << data_dir << " op " << FormatTime(std::time(nullptr)) << "\n";
  for (const auto& name : names) {
    auto db = kpo::store::Db::Open((fs::path(data_dir) / name).string(), /*read_only=*/true);
    if (!db.ok()) return Fail(db.status());
    Status copied = (*db)->CopyTo((fs::path(target) / name).string());
    if (!copied.ok()) return Fail(copied);
    manifest << "database " << name << "\n";
    std::cerr << "Database gekopieerd: " << name << "\n";
  }
  const fs::path attachments = fs::path(data_dir) / "attachments";
  if (fs::is_directory(attachments, ec)) {
    Status copied = CopyAttachments(attachments, fs::path(target) / "attachments");
    if (!copied.ok()) return Fail(copied);
    manifest << "attachments\n";
    std::cerr << "Bijlagen gekopieerd.\n";
  }
  manifest.close();
  if (!manifest) {
    return Fail(Status::Error(
        kpo::ErrorCode::kStorageError,
        (fs::path(target) / kBackupManifest).string() + " kan niet worden geschreven"));
  }
  std::cerr << "Backup klaar in " << target << ".\n";
  return kExitOk;
}

// Rebuilds the index from SQLite as the writer; when kpo-server is the
// writer, asks it to (it builds aside and swaps) and waits until it did.
int Reindex(const std::string& data_dir) {
  kpo::knowledge::ApplierOptions options;
  options.data_dir = data_dir;
  options.rebuild = true;
  auto applier = kpo::knowledge::IndexApplier::Open(options);
  if (applier.ok()) {
    auto report = (*applier)->Apply();
    if (!report.ok()) return Fail(report.status());
    std::cerr << "Zoekindex herbouwd uit de database: " << report->applied << " items.\n";
    return kExitOk;
  }
  if (!applier.status().Is(kpo::ErrorCode::kServiceUnavailable)) return Fail(applier.status());
  auto store = kpo::store::ItemStore::Open((fs::path(data_dir) / "kpo.sqlite").string());
  if (!store.ok()) return Fail(store.status());
  Status asked = kpo::knowledge::IndexApplier::RequestRebuild(store->get());
  if (!asked.ok()) return Fail(asked);
  std::cerr << "kpo-server herbouwt de zoekindex ernaast en blijft zoeken met de huidige...\n";
  constexpr auto kLimit = std::chrono::minutes(30);
  const auto until = std::chrono::steady_clock::now() + kLimit;
  while (std::chrono::steady_clock::now() < until) {
    auto pending = kpo::knowledge::IndexApplier::RebuildRequested(store->get());
    if (!pending.ok()) return Fail(pending.status());
    if (!*pending) {
      std::cerr << "Zoekindex herbouwd en ingewisseld door kpo-server.\n";
      return kExitOk;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return Fail(Status::Error(kpo::ErrorCode::kServiceUnavailable,
                            "kpo-server heeft de herbouw na 30 minuten nog niet afgerond; "
                            "zie het serverlog (index.rebuild)"));
}

// Puts a backup back while no server runs (the index writer's lock proves
// it), then rebuilds the index from the restored databases.
int Restore(const std::string& data_dir, const std::string& source) {
  std::error_code ec;
  if (!fs::exists(fs::path(source) / kBackupManifest, ec)) {
    return Fail(Status::Error(kpo::ErrorCode::kInvalidParameter,
                              source + " is geen KPO-backup (" + kBackupManifest + " ontbreekt)"));
  }
  const auto names = Databases(source);
  {
    fs::create_directories(data_dir, ec);
    const std::string lock_path = (fs::path(data_dir) / "index.lock").string();
    const int lock = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock < 0 || flock(lock, LOCK_EX | LOCK_NB) != 0) {
      if (lock >= 0) close(lock);
      return Fail(Status::Error(kpo::ErrorCode::kServiceUnavailable,
                                "kpo-server (of kpo-index) gebruikt " + data_dir + " nog (" +
                                    lock_path + " is bezet): stop de server eerst"));
    }
    for (const auto& name : names) {
      const std::string into = (fs::path(data_dir) / name).string();
      auto db = kpo::store::Db::Open((fs::path(source) / name).string(), /*read_only=*/true);
      Status copied = db.ok() ? (*db)->CopyTo(into) : db.status();
      if (!copied.ok()) {
        close(lock);
        return Fail(copied);
      }
      std::cerr << "Database teruggezet: " << name << "\n";
    }
    const fs::path attachments = fs::path(source) / "attachments";
    if (fs::is_directory(attachments, ec)) {
      fs::remove_all(fs::path(data_dir) / "attachments", ec);
      Status copied = CopyAttachments(attachments, fs::path(data_dir) / "attachments");
      if (!copied.ok()) {
        close(lock);
        return Fail(copied);
      }
      std::cerr << "Bijlagen teruggezet.\n";
    }
    close(lock);
  }
  return Reindex(data_dir);
}

int Run(const std::vector<std::string>& argv) {
  std::string data_dir;
  std::vector<std::string> rest;
  for (size_t i = 0; i < argv.size(); ++i) {
    if (argv[i] == "--help" || argv[i] == "-h") {
      std::cout << kUsage;
      return kExitOk;
    }
    if (argv[i] == "--data") {
      if (i + 1 >= argv.size()) return Usage("--data heeft een map nodig");
      data_dir = argv[++i];
    } else if (argv[i].compare(0, 7, "--data=") == 0) {
      data_dir = argv[i].substr(7);
    } else {
      rest.push_back(argv[i]);
    }
  }
  if (data_dir.empty()) return Usage("geef de datamap op met --data MAP");
  // A data directory that exists must take writes (the audit log), and so
  // must its databases: say which file and why before anything else.
  std::error_code exists_error;
  if (std::filesystem::exists(data_dir, exists_error) || exists_error) {
    for (const Status& s :
         {kpo::CheckWritableDir(data_dir), kpo::CheckWritableDatabases(data_dir)}) {
      if (!s.ok()) return Fail(s);
    }
  }
  if (rest.empty()) return Usage("geef een opdracht op");

  const std::string command = rest[0];
  std::string sub = rest.size() > 1 ? rest[1] : "";
  // Platform (issue 13): operations on the whole data directory.
  if (command == "backup" || command == "restore") {
    if (rest.size() != 2) return Usage(command + " heeft precies één MAP nodig");
    return command == "backup" ? Backup(data_dir, rest[1]) : Restore(data_dir, rest[1]);
  }
  if (command == "reindex") {
    if (rest.size() != 1) return Usage("reindex heeft geen argumenten");
    return Reindex(data_dir);
  }
  const bool two_words = command == "user" || command == "token";
  if (!two_words && command != "audit" && command != "demo") {
    return Usage("onbekende opdracht '" + command + "'");
  }
  if (two_words && sub.empty()) return Usage("'" + command + "' heeft een vervolg nodig");
  std::vector<std::string> words(rest.begin() + (two_words ? 2 : 1), rest.end());

  AuthOptions options;
  const bool assigns =
      (command == "user" && sub == "add") || (command == "token" && sub == "create");
  // The demo accounts need the groups and werkplaatsen to be allowed too.
  if (assigns || command == "demo") LoadAllowedKeys(data_dir, assigns, &options);

  const kpo::Principal admin = AuthService::LocalAdministrator();
  const std::string address;  // local: no client address

  Args args;
  if (command == "user" && sub == "add") {
    if (auto e = ParseArgs(words, {"name", "role", "group", "werkplaats"}, {"group", "werkplaats"},
                           &args)) {
      return Usage(*e);
    }
    if (args.positional.size() != 1) return Usage("user add heeft precies één EMAIL nodig");
    if (!args.One("name") || !args.One("role"))
      return Usage("user add heeft --name en --role nodig");
    auto service = AuthService::Open(data_dir, options);
    if (!service.ok()) return Fail(service.status());
    auto password = ReadPassword();
    if (!password) return Usage("geen wachtwoord gelezen van de invoer");
    kpo::access::NewUserRequest request;
    request.email = args.positional[0];
    request.name = *args.One("name");
    request.role = *args.One("role");
    request.groups = args.All("group");
    request.werkplaatsen = args.All("werkplaats");
    request.password = std::move(*password);
    auto user = (*service)->AddUser(admin, address, request);
    if (!user.ok()) return Fail(user.status());
    std::cerr << "Account aangemaakt:\n";
    PrintUser(*user);
    return kExitOk;
  }

  if (auto e = ParseArgs(words, {"role", "group", "page"}, {"group"}, &args)) return Usage(*e);
  auto expect = [&](size_t positionals, const std::set<std::string>& allowed) -> std::string {
    if (args.positional.size() != positionals) {
      return "onverwachte of ontbrekende argumenten voor '" + command +
             (two_words ? " " + sub : std::string()) + "'";
    }
    for (const auto& option : args.options) {
      if (allowed.count(option.first) == 0)
        return "--" + option.first + " hoort niet bij deze opdracht";
    }
    return "";
  };

  if (command == "user" && (sub == "list" || sub == "disable" || sub == "enable")) {
    if (auto e = expect(sub == "list" ? 0 : 1, {}); !e.empty()) return Usage(e);
    auto service = AuthService::Open(data_dir, options);
    if (!service.ok()) return Fail(service.status());
    if (sub == "list") {
      auto users = (*service)->ListUsers(admin, address);
      if (!users.ok()) return Fail(users.status());
      std::cout << "id\te-mail\trol\tstatus\tgroepen\twerkplaatsen\tnaam\n";
      for (const auto& u : *users) PrintUser(u);
      return kExitOk;
    }
    auto user = (*service)->GetUser(admin, address, args.positional[0]);
    if (!user.ok()) return Fail(user.status());
    auto changed = (*service)->SetUserDisabled(admin, address, user->id, sub == "disable");
    if (!changed.ok()) return Fail(changed.status());
    std::cerr << (sub == "disable" ? "Account geblokkeerd; zijn sessies zijn beëindigd:\n"
                                   : "Blokkade opgeheven:\n");
    PrintUser(*changed);
    return kExitOk;
  }

  if (command == "token" && sub == "create") {
    if (auto e = expect(1, {"role", "group"}); !e.empty()) return Usage(e);
    if (!args.One("role")) return Usage("token create heeft --role nodig");
    auto service = AuthService::Open(data_dir, options);
    if (!service.ok()) return Fail(service.status());
    auto token = (*service)->CreateToken(admin, address, args.positional[0], *args.One("role"),
                                         args.All("group"));
    if (!token.ok()) return Fail(token.status());
    std::cerr << "Token " << token->id
              << " aangemaakt. Bewaar het nu: het wordt niet opnieuw getoond.\n";
    std::cout << token->token << "\n";
    return kExitOk;
  }

  if (command == "token" && (sub == "list" || sub == "revoke")) {
    if (auto e = expect(sub == "list" ? 0 : 1, {}); !e.empty()) return Usage(e);
    auto service = AuthService::Open(data_dir, options);
    if (!service.ok()) return Fail(service.status());
    if (sub == "list") {
      auto tokens = (*service)->ListTokens(admin, address);
      if (!tokens.ok()) return Fail(tokens.status());
      std::cout << "id\tnaam\trol\tgroepen\tstatus\tgemaakt\tdoor\tlaatst gebruikt\n";
      for (const auto& t : *tokens) {
        std::cout << t.id << "\t" << t.name << "\t" << kpo::RoleName(t.role) << "\t"
                  << Join(t.groups) << "\t" << (t.revoked_at ? "ingetrokken" : "geldig") << "\t"
                  << FormatTime(t.created_at) << "\t" << t.created_by << "\t"
                  << (t.last_used ? FormatTime(*t.last_used) : "-") << "\n";
      }
      return kExitOk;
    }
    auto id = ParseNumber(args.positional[0]);
    if (!id) return Usage("token revoke heeft een positief getal als ID nodig");
    Status revoked = (*service)->RevokeToken(admin, address, *id);
    if (!revoked.ok()) return Fail(revoked);
    std::cerr << "Token " << *id << " ingetrokken.\n";
    return kExitOk;
  }

  if (command == "audit") {
    if (auto e = expect(0, {"page"}); !e.empty()) return Usage(e);
    int64_t page = 1;
    if (auto text = args.One("page")) {
      auto n = ParseNumber(*text);
      if (!n) return Usage("--page moet een positief getal zijn");
      page = *n;
    }
    auto service = AuthService::Open(data_dir, options);
    if (!service.ok()) return Fail(service.status());
    constexpr int64_t kPageSize = 20;
    auto result = (*service)->ListAudit(admin, address, page, kPageSize);
    if (!result.ok()) return Fail(result.status());
    for (const auto& e : result->entries) {
      std::cout << FormatTime(e.at) << "\t" << e.actor << "\t" << e.event << "\t"
                << (e.subject.empty() ? "-" : e.subject) << "\t" << e.detail << "\t"
                << (e.address.empty() ? "-" : e.address) << "\n";
    }
    const int64_t pages = (result->total + kPageSize - 1) / kPageSize;
    std::cerr << "Pagina " << page << " van " << (pages == 0 ? 1 : pages) << " (" << result->total
              << " regels).\n";
    return kExitOk;
  }

  if (command == "demo") {
    if (auto e = expect(0, {}); !e.empty()) return Usage(e);
    auto service = AuthService::Open(data_dir, options);
    if (!service.ok()) return Fail(service.status());
    auto accounts = (*service)->SeedDemo();
    if (!accounts.ok()) return Fail(accounts.status());
    std::cout << "e-mail\trol\tgroepen\twerkplaatsen\twachtwoord\n";
    for (const auto& a : *accounts) {
      std::cout << a.email << "\t" << a.role << "\t" << Join(a.groups) << "\t"
                << Join(a.werkplaatsen) << "\t"
                << (a.existed ? "(bestond al; wachtwoord ongewijzigd)" : a.password) << "\n";
    }
    return kExitOk;
  }

  return Usage("onbekende opdracht '" + command + " " + sub + "'");
}

}  // namespace

int main(int argc, char** argv) {
  // Backups and restored files hold password hashes, second-factor secrets
  // and restricted items: readable by the owner only, whatever the shell's
  // umask (docs/operations.md).
  ::umask(077);
  std::vector<std::string> args(argv + 1, argv + argc);
  return Run(args);
}
