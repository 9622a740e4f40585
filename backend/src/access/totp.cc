// Implements totp.h with liboath (oath_totp_generate2, oath_totp_validate4).
#include "access/totp.h"

#include <liboath/oath.h>
#include <sodium.h>

namespace kpo::access {

namespace {

// liboath's global state (its crypto backend) is set up once per process.
bool InitOath() {
  static const bool ok = oath_init() == OATH_OK;
  return ok;
}

int OathFlags(TotpHash hash) {
  switch (hash) {
    case TotpHash::kSha256:
      return OATH_TOTP_HMAC_SHA256;
    case TotpHash::kSha512:
      return OATH_TOTP_HMAC_SHA512;
    case TotpHash::kSha1:
      break;
  }
  return 0;
}

constexpr std::string_view kRecoveryAlphabet = "23456789abcdefghjkmnpqrstuvwxyz";  // 31
constexpr size_t kRecoveryChars = 10;

std::string PercentEncode(std::string_view text) {
  static const char* const kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '.' || c == '_' || c == '~' || c == '@';
    if (plain) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace

StatusOr<std::string> NewTotpSecret() {
  if (sodium_init() < 0) return Status::Internal("sodium_init failed");
  std::string secret(20, '\0');
  randombytes_buf(secret.data(), secret.size());
  return secret;
}

std::string Base32(std::string_view bytes) {
  static const char* const kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out.push_back(kAlphabet[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (5 - bits)) & 31]);
  return out;
}

std::string OtpauthUri(std::string_view account, std::string_view secret) {
  return "otpauth://totp/KPO:" + PercentEncode(account) + "?secret=" + Base32(secret) +
         "&issuer=KPO&algorithm=SHA1&digits=" + std::to_string(kTotpDigits) +
         "&period=" + std::to_string(kTotpStep);
}

StatusOr<std::string> TotpCode(std::string_view secret, int64_t now, int digits, TotpHash hash) {
  if (!InitOath()) return Status::Internal("oath_init failed");
  if (digits < 6 || digits > 8) return Status::Internal("TOTP digits must be 6..8");
  char out[9] = {};
  int rc = oath_totp_generate2(secret.data(), secret.size(), static_cast<time_t>(now),
                               static_cast<unsigned>(kTotpStep), OATH_TOTP_DEFAULT_START_TIME,
                               static_cast<unsigned>(digits), OathFlags(hash), out);
  if (rc != OATH_OK)
    return Status::Internal(std::string("oath_totp_generate2: ") + oath_strerror(rc));
  return std::string(out);
}

std::optional<int64_t> MatchTotp(std::string_view secret, std::string_view code, int64_t now) {
  std::string digits;
  for (char c : code) {
    if (c == ' ') continue;
    if (c < '0' || c > '9' || digits.size() >= static_cast<size_t>(kTotpDigits)) {
      return std::nullopt;
    }
    digits.push_back(c);
  }
  if (digits.size() != static_cast<size_t>(kTotpDigits) || !InitOath()) return std::nullopt;
  uint64_t counter = 0;
  int pos = 0;
  // liboath compares the code of each step in the window (a string compare
  // of six digits; the secret, not the comparison, is what an attacker
  // lacks, and the rate limit bounds guessing).
  int rc = oath_totp_validate4(secret.data(), secret.size(), static_cast<time_t>(now),
                               static_cast<unsigned>(kTotpStep), OATH_TOTP_DEFAULT_START_TIME,
                               kTotpWindow, &pos, &counter, 0, digits.c_str());
  if (rc < 0) return std::nullopt;
  return static_cast<int64_t>(counter);
}

std::string NewRecoveryCode() {
  std::string code;
  for (size_t i = 0; i < kRecoveryChars; ++i) {
    if (i == kRecoveryChars / 2) code.push_back('-');
    code.push_back(
        kRecoveryAlphabet[randombytes_uniform(static_cast<uint32_t>(kRecoveryAlphabet.size()))]);
  }
  return code;
}

std::string NormalizeRecoveryCode(std::string_view code) {
  std::string out;
  if (code.size() > 40) return "";
  for (char c : code) {
    if (c == '-' || c == ' ') continue;
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (kRecoveryAlphabet.find(c) == std::string_view::npos) return "";
    out.push_back(c);
  }
  return out.size() == kRecoveryChars ? out : "";
}

}  // namespace kpo::access
