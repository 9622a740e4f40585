// Implements file_type.h.
#include "attachments/file_type.h"

#include <magic.h>

#include <array>
#include <memory>

namespace kpo::attachments {

namespace {

struct Accepted {
  const char* mime;
  const char* extension;
  bool image;
};

constexpr std::array<Accepted, 6> kAccepted = {{
    {"application/pdf", "pdf", false},
    {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", false},
    {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", false},
    {"application/vnd.oasis.opendocument.text", "odt", false},
    {"image/png", "png", true},
    {"image/jpeg", "jpg", true},
}};

}  // namespace

StatusOr<FileType> DetectType(const std::string& path) {
  std::unique_ptr<magic_set, decltype(&magic_close)> magic(magic_open(MAGIC_MIME_TYPE),
                                                           &magic_close);
  if (!magic || magic_load(magic.get(), nullptr) != 0) {
    return Status::Internal("libmagic could not load its database");
  }
  const char* found = magic_file(magic.get(), path.c_str());
  if (found == nullptr)
    return Status::Internal(std::string("libmagic: ") + magic_error(magic.get()));
  const std::string mime = found;
  for (const auto& a : kAccepted) {
    if (mime == a.mime) return FileType{a.mime, a.extension, a.image};
  }
  return Status::Error(ErrorCode::kUnsupportedAttachmentType,
                       "Dit bestand kan niet als bijlage worden opgeslagen: naar de inhoud is het "
                       "geen PDF, Word (.docx), Excel (.xlsx), OpenDocument-tekst (.odt), PNG of "
                       "JPEG. De naam of extensie van het bestand telt daarbij niet.",
                       "detected " + mime);
}

}  // namespace kpo::attachments
