// Password hashing and random secrets, on libsodium. Owns: the Argon2id
// password hashes (crypto_pwhash_str), the random session ids, CSRF tokens and
// API tokens, the one-way hash under which those are stored, and constant-time
// comparison. The only file of access/ that includes sodium.h.
// May not touch: storage, HTTP, logging (nothing here ever prints a secret).
// Thread-safety: every function may be called from any thread at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "kpo/status.h"

namespace kpo::access {

// Cost of one Argon2id hash. The defaults equal libsodium's
// crypto_pwhash_OPSLIMIT_INTERACTIVE / MEMLIMIT_INTERACTIVE (checked by a
// static_assert in password.cc); tests use Minimum() to stay fast.
struct PasswordOptions {
  // Passes over memory. Default: 2 (OPSLIMIT_INTERACTIVE).
  uint64_t ops_limit = 2;
  // Bytes of memory per hash. Default: 64 MiB (MEMLIMIT_INTERACTIVE).
  size_t mem_limit = size_t{64} * 1024 * 1024;

  // libsodium's minimum cost (OPSLIMIT_MIN, MEMLIMIT_MIN): for tests only,
  // never for stored production passwords.
  static PasswordOptions Minimum() { return PasswordOptions{1, 8192}; }
};

// Runs sodium_init() once per process; later calls are free.
// Errors: kInternal when libsodium cannot initialise (no entropy source).
Status InitCrypto();

// Hashes `password` with Argon2id and a fresh random salt. Success: the
// self-describing "$argon2id$v=19$m=...,t=...,p=1$salt$hash" string, safe to
// store. Errors: kInternal (out of memory, sodium not initialisable).
StatusOr<std::string> HashPassword(std::string_view password, const PasswordOptions& options);

// True when `password` matches `hash` (a HashPassword result). Costs one full
// Argon2id run whatever the answer, so it may be called with a dummy hash to
// make "no such account" take as long as "wrong password". A malformed hash
// is simply false.
bool VerifyPassword(const std::string& hash, std::string_view password);

// True when `hash` was made with other limits than `options` and should be
// replaced at the next successful login.
bool NeedsRehash(const std::string& hash, const PasswordOptions& options);

// 32 random bytes (randombytes_buf), as 64 lowercase hex characters: session
// ids, CSRF tokens and API tokens. Requires InitCrypto() to have succeeded.
std::string RandomToken();
// `bytes` random bytes as 2*bytes lowercase hex characters.
std::string RandomHex(size_t bytes);

// BLAKE2b-256 (crypto_generichash) of `token`, as 64 lowercase hex
// characters: what is stored in place of a session id or API token, so a
// leaked database does not hand out live credentials.
std::string TokenHash(std::string_view token);

// True when `token` has the shape RandomToken() produces (64 lowercase hex),
// checked before any lookup so forged or hostile values are cheap to refuse.
bool IsWellFormedToken(std::string_view token);

// Constant-time comparison (sodium_memcmp) of two secrets. Lengths are not
// secret: different lengths are unequal at once.
bool SecretsEqual(std::string_view a, std::string_view b);

}  // namespace kpo::access
