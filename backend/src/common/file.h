// Reading whole files, and the start-up checks of the files a program will
// write, with messages for the operator. Owns nothing else.
#pragma once

#include <string>

#include "kpo/status.h"

namespace kpo {

// The bytes of the file at `path`. Errors: kInvalidContent ("<path>: bestand
// niet leesbaar") when it cannot be opened or read. Thread-safe.
StatusOr<std::string> ReadWholeFile(const std::string& path);

// Checks that `dir` is a directory this process can create files in, by
// creating and removing a probe file (permission bits do not stop root; a
// read-only mount or a file in the way does). Errors: kStorageError with a
// Dutch message naming `dir` and the system error, for the operator only.
Status CheckWritableDir(const std::string& dir);

// Checks that `path`, when it exists, is a file this process can open for
// writing. Errors: kStorageError naming `path` and the system error.
Status CheckWritableFile(const std::string& path);

// CheckWritableFile for every SQLite database of `dir` (its *.sqlite files,
// and their -wal and -shm files): a server that starts on one it cannot
// write answers every save with an error. Errors: the first file's.
Status CheckWritableDatabases(const std::string& dir);

// A failed start as an operator reads it: the Dutch message and, when there
// is one, its cause ("(oorzaak: ...)"). Never for clients: the cause may
// name files and library internals.
std::string OperatorText(const Status& status);

}  // namespace kpo
