// Implements text_extract.h.
#include "attachments/text_extract.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <vector>

extern char** environ;

namespace kpo::attachments {

namespace {

// Seconds a tool may run on one file.
constexpr const char* kTimeoutSeconds = "20";

// Runs `argv` (through `timeout`), returning at most `max_bytes` of its
// standard output; its standard error is discarded.
StatusOr<std::string> Run(std::vector<std::string> argv, size_t max_bytes) {
  argv.insert(argv.begin(), {"timeout", "-s", "KILL", kTimeoutSeconds});
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) return Status::Internal("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  // The server ignores SIGPIPE, and children inherit that: give them the
  // default back, so a tool whose output we stop reading (below) dies.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t pipe_signal;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  posix_spawnattr_setsigdefault(&attr, &pipe_signal);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, "timeout", &actions, &attr, args.data(), environ);
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  if (rc != 0) {
    close(out[0]);
    return Status::Internal("cannot start " + argv[4]);
  }
  std::string text;
  char buf[65536];
  while (true) {
    const ssize_t n = read(out[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buf, std::min(static_cast<size_t>(n), max_bytes - text.size()));
    // Enough: stop reading. Closing the pipe ends the tool (SIGPIPE) at
    // once instead of letting a zip bomb inflate until the timeout.
    if (text.size() >= max_bytes) break;
  }
  close(out[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return text;
}

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// Shortens `text` to at most `max_bytes` without cutting a UTF-8 sequence.
void CutUtf8(std::string* text, size_t max_bytes) {
  if (text->size() <= max_bytes) return;
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>((*text)[end]) & 0xC0) == 0x80) --end;
  text->resize(end);
}

// Tags whose end separates words: paragraphs, headings, table cells and
// rows, shared strings, line breaks and tabs.
bool Separates(const std::string& name) {
  static const char* const kNames[] = {
      "w:p",      "w:tab",           "w:br", "w:tc", "text:p", "text:h",          "text:s",
      "text:tab", "text:line-break", "si",   "c",    "row",    "table:table-cell"};
  for (const char* n : kNames) {
    if (name == n) return true;
  }
  return false;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return;
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace

std::string XmlText(const std::string& xml) {
  std::string out;
  auto space = [&out] {
    if (!out.empty() && out.back() != ' ') out.push_back(' ');
  };
  size_t i = 0;
  while (i < xml.size()) {
    const char c = xml[i];
    if (c == '<') {
      const size_t end = xml.find('>', i);
      if (end == std::string::npos) break;
      std::string tag = xml.substr(i + 1, end - i - 1);
      if (!tag.empty() && tag[0] == '/') tag.erase(0, 1);
      const size_t name_end = tag.find_first_of(" \t\r\n/");
      if (Separates(tag.substr(0, name_end))) space();
      i = end + 1;
    } else if (c == '&') {
      const size_t end = xml.find(';', i);
      if (end == std::string::npos || end - i > 10) {
        out.push_back(c);
        ++i;
        continue;
      }
      const std::string entity = xml.substr(i + 1, end - i - 1);
      if (entity == "amp")
        out.push_back('&');
      else if (entity == "lt")
        out.push_back('<');
      else if (entity == "gt")
        out.push_back('>');
      else if (entity == "quot")
        out.push_back('"');
      else if (entity == "apos")
        out.push_back('\'');
      else if (StartsWith(entity, "#x"))
        AppendUtf8(static_cast<uint32_t>(std::strtoul(entity.c_str() + 2, nullptr, 16)), &out);
      else if (StartsWith(entity, "#"))
        AppendUtf8(static_cast<uint32_t>(std::strtoul(entity.c_str() + 1, nullptr, 10)), &out);
      i = end + 1;
    } else if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      space();
      ++i;
    } else {
      out.push_back(c);
      ++i;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (!out.empty() && out.front() == ' ') out.erase(0, 1);
  return out;
}

StatusOr<std::string> ExtractText(const std::string& path, const std::string& mime,
                                  size_t max_bytes) {
  if (mime == "application/pdf") {
    auto text = Run({"pdftotext", "-q", "-enc", "UTF-8", "-nopgbrk", path, "-"}, max_bytes + 4);
    if (text.ok()) CutUtf8(&*text, max_bytes);
    return text;
  }
  std::vector<std::string> parts;
  if (mime == "application/vnd.openxmlformats-officedocument.wordprocessingml.document") {
    parts = {"word/document.xml"};
  } else if (mime == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") {
    parts = {"xl/sharedStrings.xml", "xl/worksheets/*.xml"};
  } else if (mime == "application/vnd.oasis.opendocument.text") {
    parts = {"content.xml"};
  } else {
    return std::string();  // images
  }
  // The XML is several times the text: read up to 8x the text limit.
  std::vector<std::string> argv = {"unzip", "-p", "-qq", path};
  argv.insert(argv.end(), parts.begin(), parts.end());
  auto xml = Run(argv, max_bytes * 8);
  if (!xml.ok()) return xml.status();
  std::string text = XmlText(*xml);
  CutUtf8(&text, max_bytes);
  return text;
}

}  // namespace kpo::attachments
