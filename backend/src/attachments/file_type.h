// What kind of file an attachment is, read from its bytes with libmagic,
// never from its name or the Content-Type the client sent. Owns: the list of
// accepted types (PDF, DOCX, XLSX, ODT, PNG, JPEG) and their extensions.
// May not touch: storage, HTTP.
// Thread-safety: DetectType may be called from any thread (each call opens
// its own libmagic handle; magic_t is not thread-safe).
#pragma once

#include <string>

#include "kpo/status.h"

namespace kpo::attachments {

struct FileType {
  std::string mime;       // "application/pdf", ...
  std::string extension;  // "pdf", "docx", "xlsx", "odt", "png", "jpg"
  bool image = false;     // shown inline; everything else is downloaded
};

// The type of the file at `path`. Errors: kUnsupportedAttachmentType (any
// other type, with a Dutch message naming what is accepted), kInternal
// (libmagic unavailable).
StatusOr<FileType> DetectType(const std::string& path);

}  // namespace kpo::attachments
