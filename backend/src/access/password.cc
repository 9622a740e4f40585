// Implements password.h with libsodium.
#include "access/password.h"

#include <sodium.h>

#include <mutex>
#include <vector>

namespace kpo::access {

namespace {

// The defaults in password.h are written as numbers so the header need not
// include sodium.h; these keep them honest.
static_assert(PasswordOptions{}.ops_limit == crypto_pwhash_OPSLIMIT_INTERACTIVE);
static_assert(PasswordOptions{}.mem_limit == crypto_pwhash_MEMLIMIT_INTERACTIVE);
static_assert(crypto_pwhash_ALG_DEFAULT == crypto_pwhash_ALG_ARGON2ID13,
              "crypto_pwhash_str must produce Argon2id");

std::string ToHex(const unsigned char* bytes, size_t size) {
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, size);
  hex.pop_back();  // sodium_bin2hex writes a terminating NUL
  return hex;
}

}  // namespace

Status InitCrypto() {
  static std::once_flag once;
  static int result = -1;
  std::call_once(once, [] { result = sodium_init(); });
  // 0: initialised now, 1: already initialised (by us or by another library).
  if (result < 0) return Status::Internal("sodium_init failed");
  return Status::Ok();
}

StatusOr<std::string> HashPassword(std::string_view password, const PasswordOptions& options) {
  KPO_RETURN_IF_ERROR(InitCrypto());
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), options.ops_limit,
                        options.mem_limit) != 0) {
    return Status::Internal("crypto_pwhash_str failed (out of memory?)");
  }
  return std::string(out);
}

bool VerifyPassword(const std::string& hash, std::string_view password) {
  if (!InitCrypto().ok()) return false;
  // crypto_pwhash_str_verify reads a NUL-terminated string of at most
  // STRBYTES; anything longer is not one of ours.
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

bool NeedsRehash(const std::string& hash, const PasswordOptions& options) {
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return true;
  // 1: other limits, -1: not an Argon2id string at all; both mean rehash.
  return crypto_pwhash_str_needs_rehash(hash.c_str(), options.ops_limit, options.mem_limit) != 0;
}

std::string RandomHex(size_t bytes) {
  // randombytes_buf is usable without sodium_init on Linux, but init picks
  // the best source once; a failure there would already have failed HashPassword.
  (void)InitCrypto();
  std::vector<unsigned char> buf(bytes);
  randombytes_buf(buf.data(), buf.size());
  std::string hex = ToHex(buf.data(), buf.size());
  sodium_memzero(buf.data(), buf.size());
  return hex;
}

std::string RandomToken() { return RandomHex(32); }

std::string TokenHash(std::string_view token) {
  unsigned char digest[crypto_generichash_BYTES];  // 32 bytes: BLAKE2b-256
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  return ToHex(digest, sizeof digest);
}

bool IsWellFormedToken(std::string_view token) {
  if (token.size() != 64) return false;
  for (char c : token) {
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    if (!hex) return false;
  }
  return true;
}

bool SecretsEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace kpo::access
