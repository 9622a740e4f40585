// Implements test_support.h.
#include "support/test_support.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "http/request.h"
#include "store/item_store.h"

#include "indexer/indexer.h"

namespace kpo::testing {

namespace fs = std::filesystem;

std::string SourceDir() { return KPO_SOURCE_DIR; }

TempDir::TempDir() {
  std::string tmpl = (fs::temp_directory_path() / "kpo-test-XXXXXX").string();
  char* made = mkdtemp(tmpl.data());
  if (made == nullptr) std::abort();
  path_ = made;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

void WriteFile(const std::string& path, const std::string& content) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out << content;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::string DatabaseBytes(const std::string& path) {
  std::string all;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    if (std::filesystem::exists(path + suffix)) all += ReadFile(path + suffix);
  }
  return all;
}

std::string CookieValue(const std::string& set_cookie, const std::string& name) {
  if (set_cookie.rfind(name + "=", 0) != 0) return "";
  return set_cookie.substr(name.size() + 1, set_cookie.find(';') - name.size() - 1);
}

std::string HiddenField(const std::string& html, const std::string& name) {
  const std::string before = "name=\"" + name + "\" value=\"";
  const size_t at = html.find(before);
  if (at == std::string::npos) return "";
  const size_t start = at + before.size();
  const size_t end = html.find('"', start);
  return end == std::string::npos ? "" : html.substr(start, end - start);
}

namespace {
std::string List(const std::vector<std::string>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + values[i];
  return out + "]";
}
}  // namespace

std::string ItemFile(const ItemSpec& s) {
  std::string out = "---\n";
  out += "id: " + s.id + "\n";
  out += "title: \"" + s.title + "\"\n";
  out += "type: " + s.type + "\n";
  if (!s.summary.empty()) out += "summary: \"" + s.summary + "\"\n";
  out += "themes: " + List(s.themes) + "\n";
  if (!s.werkplaats.empty()) out += "werkplaats: " + s.werkplaats + "\n";
  out += "access: " + s.access + "\n";
  if (!s.groups.empty()) out += "groups: " + List(s.groups) + "\n";
  out += "published: " + s.published + "\n";
  out += "status: " + s.status + "\n";
  if (!s.tags.empty()) out += "tags: " + List(s.tags) + "\n";
  out += "---\n" + s.body + "\n";
  return out;
}

Corpus::Corpus() {
  fs::create_directories(content_dir());
  fs::copy_file(SourceDir() + "/content/vocabulary.yaml", content_dir() + "/vocabulary.yaml");
  fs::copy_file(SourceDir() + "/content/glossary.yaml", content_dir() + "/glossary.yaml");
}

void Corpus::Add(const ItemSpec& spec) {
  WriteFile(content_dir() + "/" + spec.id + ".md", ItemFile(spec));
}

std::vector<std::string> Corpus::Index() {
  indexer::Options options;
  options.content_dir = content_dir();
  options.data_dir = data_dir();
  auto summary = indexer::Run(options);
  EXPECT_TRUE(summary.ok()) << summary.status().ToString();
  if (!summary.ok()) return {summary.status().ToString()};
  return summary->errors;
}

void Corpus::SetAccessInStore(const std::string& id, const std::string& access) {
  auto store = store::ItemStore::Open(data_dir() + "/kpo.sqlite");
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto item = (*store)->Get(id);
  ASSERT_TRUE(item.ok() && item->has_value()) << id;
  Item changed = **item;
  changed.access = access;
  ASSERT_TRUE((*store)->Upsert(changed).ok());
}

nlohmann::json HttpResponse::Json() const { return nlohmann::json::parse(body, nullptr, false); }

std::string HttpResponse::ErrorCodeName() const {
  auto j = Json();
  return j.is_object() && j.contains("error") && j["error"].is_object()
             ? j["error"].value("code", "")
             : "";
}

std::string HttpResponse::Header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

int ConnectRaw(int port, int timeout_seconds) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{timeout_seconds, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool SendAll(int fd, const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

std::string ReadUntilClosed(int fd, bool* closed) {
  std::string got;
  char buf[65536];
  for (;;) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      if (closed != nullptr) *closed = n == 0;
      return got;
    }
    got.append(buf, static_cast<size_t>(n));
  }
}

HttpResponse HttpCall(int port, const std::string& method, const std::string& target,
                      const std::vector<std::string>& raw_headers, const std::string& body) {
  HttpResponse response;
  const int fd = ConnectRaw(port, 10);
  if (fd < 0) return response;
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n";
  for (const auto& h : raw_headers) req += h + "\r\n";
  if (!body.empty() || method == "POST")
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n" + body;
  (void)SendAll(fd, req);
  std::string raw;
  char buf[65536];
  size_t header_end = std::string::npos;
  size_t content_length = std::string::npos;
  for (;;) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    raw.append(buf, static_cast<size_t>(n));
    if (header_end == std::string::npos) {
      header_end = raw.find("\r\n\r\n");
      if (header_end != std::string::npos) {
        std::string head = raw.substr(0, header_end);
        std::istringstream lines(head);
        std::string line;
        std::getline(lines, line);
        if (line.size() >= 12) response.status = std::atoi(line.substr(9, 3).c_str());
        while (std::getline(lines, line)) {
          if (!line.empty() && line.back() == '\r') line.pop_back();
          size_t colon = line.find(':');
          if (colon == std::string::npos) continue;
          std::string name = line.substr(0, colon);
          for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          std::string value = line.substr(colon + 1);
          value.erase(0, value.find_first_not_of(' '));
          response.headers[name] = value;
        }
        if (response.headers.count("content-length")) {
          content_length = std::stoul(response.headers["content-length"]);
        }
      }
    }
    if (header_end != std::string::npos && content_length != std::string::npos &&
        raw.size() >= header_end + 4 + content_length) {
      break;
    }
  }
  ::close(fd);
  if (header_end != std::string::npos) response.body = raw.substr(header_end + 4);
  return response;
}

std::string UrlEncode(const std::string& text) { return http::PercentEncode(text); }

CommandRun RunCommand(const std::string& command, const std::string& stdin_file) {
  CommandRun run;
  FILE* pipe = ::popen((command + " <'" + stdin_file + "' 2>&1").c_str(), "r");
  if (pipe == nullptr) return run;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) run.output.append(buf, n);
  const int status = ::pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

}  // namespace kpo::testing
