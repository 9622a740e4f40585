// Implements file.h.
#include "common/file.h"

#include <filesystem>
#include <fstream>
#include <sstream>

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

}  // namespace kpo
