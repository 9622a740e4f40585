// Implements file.h.
#include "common/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace kpo {

StatusOr<std::string> ReadWholeFile(const std::string& path) {
  // An ifstream opens a directory without complaint and reads nothing.
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Status::Error(ErrorCode::kInvalidContent, path + ": bestand niet leesbaar");
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  if (in) buf << in.rdbuf();
  if (!in || in.bad()) {
    return Status::Error(ErrorCode::kInvalidContent, path + ": bestand niet leesbaar");
  }
  return buf.str();
}

namespace {

Status SystemError(const std::string& message, const std::string& path, int error) {
  return Status::Error(
      ErrorCode::kStorageError, message,
      path + ": " + std::strerror(error) + " (errno " + std::to_string(error) + ")");
}

}  // namespace

Status CheckWritableDir(const std::string& dir) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) {
    const int error = errno;
    return SystemError("De datamap " + dir + " is niet bruikbaar: " + std::strerror(error) + ".",
                       dir, error);
  }
  if (!S_ISDIR(st.st_mode)) {
    return SystemError("De datamap " + dir + " is geen map: " + std::strerror(ENOTDIR) + ".", dir,
                       ENOTDIR);
  }
  const std::string probe = dir + "/.kpo-schrijftest";
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int error = errno;
    return SystemError("In de datamap " + dir +
                           " kan niet worden geschreven: " + std::strerror(error) +
                           ". Controleer de rechten en of de schijf "
                           "alleen-lezen is aangekoppeld.",
                       probe, error);
  }
  ::close(fd);
  ::unlink(probe.c_str());
  return Status::Ok();
}

Status CheckWritableFile(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return Status::Ok();  // made on first use
    const int error = errno;
    return SystemError("Het bestand " + path + " is niet bruikbaar: " + std::strerror(error) + ".",
                       path, error);
  }
  const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    return SystemError(
        "Het bestand " + path + " kan niet worden beschreven: " + std::strerror(error) + ".", path,
        error);
  }
  ::close(fd);
  return Status::Ok();
}

Status CheckWritableDatabases(const std::string& dir) {
  std::vector<std::string> paths;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    for (const char* suffix : {".sqlite", ".sqlite-wal", ".sqlite-shm"}) {
      const size_t n = std::strlen(suffix);
      if (name.size() > n && name.compare(name.size() - n, n, suffix) == 0) {
        paths.push_back(it->path().string());
      }
    }
  }
  std::sort(paths.begin(), paths.end());  // the same first file every time
  for (const auto& path : paths) {
    if (Status s = CheckWritableFile(path); !s.ok()) return s;
  }
  return Status::Ok();
}

std::string OperatorText(const Status& status) {
  if (status.detail().empty()) return status.message();
  return status.message() + " (oorzaak: " + status.detail() + ")";
}

}  // namespace kpo
