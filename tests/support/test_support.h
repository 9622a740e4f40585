// Test helpers shared by unit and integration suites: temporary
// directories, content fixtures built on the real vocabulary, a knowledge
// base indexed from them, and a raw-socket HTTP client (Pistache's own
// client is known to hang).
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kpo::testing {

// The password the suites give the accounts they create.
inline constexpr const char* kPassword = "Correct-Paard-Batterij-42";

// A signed-in client: its session cookie and CSRF token, and the headers
// of a JSON request it sends (only the content type when not signed in).
struct Session {
  std::string cookie;
  std::string csrf;
  std::vector<std::string> Headers() const {
    if (cookie.empty()) return {"Content-Type: application/json"};
    return {"Cookie: kpo_session=" + cookie, "X-CSRF-Token: " + csrf,
            "Content-Type: application/json"};
  }
};

// A signed-in browser of the portal suites: its whole cookie header
// ("Cookie: kpo_session=...") and the CSRF token of its pages' forms.
struct SignedInBrowser {
  std::string cookie;
  std::string csrf;
};

// The value of cookie `name` in a Set-Cookie header value
// ("kpo_session=<id>; Path=/; ..." -> <id>), "" when it sets another.
std::string CookieValue(const std::string& set_cookie, const std::string& name = "kpo_session");

// The value attribute of the input `name` in a page
// (`name="<name>" value="<value>"`), "" when the page has none. A plain
// search: std::regex recurses once per character, and a pattern spanning a
// whole page overflowed the stack under ASan.
std::string HiddenField(const std::string& html, const std::string& name);

// The repository root (for content/vocabulary.yaml and friends).
std::string SourceDir();

// A fresh directory under /tmp, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

void WriteFile(const std::string& path, const std::string& content);
std::string ReadFile(const std::string& path);
// Every byte SQLite keeps for the database at `path` (the file, its WAL,
// shared memory and journal): a secret must be in none of them.
std::string DatabaseBytes(const std::string& path);

// Front matter + body for a content file.
struct ItemSpec {
  std::string id;
  std::string title;
  std::string type = "handreiking";
  std::string access = "public";
  std::vector<std::string> groups;
  std::vector<std::string> themes = {"bibob"};
  std::string werkplaats;
  std::string status = "published";
  std::string published = "2022-03-01";
  std::string summary;
  std::vector<std::string> tags;
  std::string body;
};
std::string ItemFile(const ItemSpec& spec);

// A content dir with the real vocabulary and glossary, and a data dir.
class Corpus {
 public:
  Corpus();
  // Writes content/<id>.md.
  void Add(const ItemSpec& spec);
  // Runs the indexer; fails the test on a run error. Returns its errors.
  std::vector<std::string> Index();
  std::string content_dir() const { return dir_.Sub("content"); }
  std::string data_dir() const { return dir_.Sub("data"); }
  // Changes item `id`'s access in the store only, as an edit does before
  // the index follows; fails the test when the item is missing.
  void SetAccessInStore(const std::string& id, const std::string& access);

 private:
  TempDir dir_;
};

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lowercase names
  std::string body;
  nlohmann::json Json() const;
  std::string Header(const std::string& lowercase_name) const;
  // The "code" of a KPO error body, or "" when the body is not one.
  std::string ErrorCodeName() const;
};

// One request on a fresh connection to 127.0.0.1:port. `raw_headers`
// lines like "Cookie: a=b". status 0 when the connection failed.
HttpResponse HttpCall(int port, const std::string& method, const std::string& target,
                      const std::vector<std::string>& raw_headers = {},
                      const std::string& body = {});
// A raw connection to 127.0.0.1:port with a receive timeout; -1 when it
// cannot connect. The caller closes it.
int ConnectRaw(int port, int timeout_seconds = 5);
// Sends all of `bytes`; false when the connection broke first.
bool SendAll(int fd, const std::string& bytes);
// Everything the server sends until it closes the connection. `closed`
// (when given) tells whether it did close, rather than the timeout passing.
std::string ReadUntilClosed(int fd, bool* closed = nullptr);

// Platform (issue 13): a program's exit status and its output.
struct CommandRun {
  int exit_code = -1;  // -1 when it did not exit normally
  std::string output;  // stdout and stderr
};
// Runs `command` through the shell with stdin from `stdin_file`.
CommandRun RunCommand(const std::string& command, const std::string& stdin_file = "/dev/null");

// Percent-encodes a query value.
std::string UrlEncode(const std::string& text);

}  // namespace kpo::testing
