// The searchable text of an attachment. Owns: running the Debian tools that
// read it — poppler's pdftotext for PDF, unzip for the XML inside DOCX, XLSX
// and ODT (whose tags are stripped here) — each under `timeout`, with their
// output bounded. Images have no text. No new libraries: a damaged or
// hostile file costs at most the timeout and gives less text, never a crash.
// May not touch: storage, search, HTTP.
// Thread-safety: pure apart from the child processes; any thread.
#pragma once

#include <cstddef>
#include <string>

#include "kpo/status.h"

namespace kpo::attachments {

// Bytes of text kept per attachment. Default limit of ExtractText.
inline constexpr size_t kMaxTextBytes = size_t{1} << 20;

// The text of the file at `path` of type `mime` (a FileType::mime); "" for
// images and for files the tool cannot read. Errors: kInternal (the tool
// could not be started).
StatusOr<std::string> ExtractText(const std::string& path, const std::string& mime,
                                  size_t max_bytes = kMaxTextBytes);

// The text of an office XML part: tags removed (paragraph, cell and line
// ends become spaces), entities decoded, whitespace collapsed.
std::string XmlText(const std::string& xml);

}  // namespace kpo::attachments
