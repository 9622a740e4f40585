// Time-based one-time passwords (RFC 6238, HMAC-SHA1, 30-second steps, six
// digits: what every authenticator app does by default) over the OATH
// Toolkit's liboath, and the recovery codes that stand in for a lost phone.
// Owns: secret generation, the otpauth:// URI, code computation and the
// check of a code against a time window. May not touch: storage (the caller
// keeps the secret and the last accepted step, which is what makes a code
// single-use), HTTP.
// Thread-safety: every function may be called from any thread at once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "kpo/status.h"

namespace kpo::access {

// Seconds per TOTP step (RFC 6238's X). Default of every app; fixed.
inline constexpr int64_t kTotpStep = 30;
// Digits of a code. Fixed: authenticator apps show six by default.
inline constexpr int kTotpDigits = 6;
// Steps before and after now that are still accepted, for clock drift
// between the phone and the server (RFC 6238 section 5.2 advises one).
inline constexpr int kTotpWindow = 1;

// The hash of RFC 6238: SHA1 is what apps support; SHA256/SHA512 exist for
// the RFC's test vectors and future use.
enum class TotpHash { kSha1, kSha256, kSha512 };

// A fresh 160-bit secret (RFC 4226 recommends 160 bits), raw bytes.
// Requires InitCrypto() (access/password.h). Errors: kInternal.
StatusOr<std::string> NewTotpSecret();

// RFC 4648 base32 without padding: how apps take a secret by hand.
std::string Base32(std::string_view bytes);

// otpauth://totp/KPO:<account>?secret=..&issuer=KPO&algorithm=SHA1&digits=6&period=30
// (the Key Uri Format of Google Authenticator, read by every app; the
// account is percent-encoded).
std::string OtpauthUri(std::string_view account, std::string_view secret);

// The code for unix time `now`: `digits` decimal digits (6..8).
// Errors: kInternal (liboath failed).
StatusOr<std::string> TotpCode(std::string_view secret, int64_t now, int digits = kTotpDigits,
                               TotpHash hash = TotpHash::kSha1);

// The time step (unix time / 30) of `code` when it is the code of a step
// within kTotpWindow steps of `now`; nullopt otherwise (wrong, malformed or
// too old). Spaces in `code` are ignored ("123 456"). The caller refuses a
// step at or below the last one it accepted, so a code works only once.
std::optional<int64_t> MatchTotp(std::string_view secret, std::string_view code, int64_t now);

// A recovery code: 10 random characters of an alphabet without look-alikes
// (no 0/o, 1/l/i), shown as xxxxx-xxxxx. About 49 bits: enough against
// guessing under the code rate limit; stored as a hash like a token.
std::string NewRecoveryCode();
// The canonical form of a typed recovery code (lowercase, no dashes or
// spaces), or "" when it cannot be one.
std::string NormalizeRecoveryCode(std::string_view code);

}  // namespace kpo::access
