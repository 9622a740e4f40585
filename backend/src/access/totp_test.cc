// Tests totp.h: the test vectors of RFC 6238 appendix B (all three hashes),
// base32 from RFC 4648, the window and the recovery code shape.
#include "access/totp.h"

#include <gtest/gtest.h>

#include "access/password.h"

namespace kpo::access {
namespace {

struct Vector {
  int64_t time;
  const char* sha1;
  const char* sha256;
  const char* sha512;
};

TEST(Totp, Rfc6238AppendixBVectors) {
  const std::string seed1 = "12345678901234567890";
  const std::string seed256 = "12345678901234567890123456789012";
  const std::string seed512 = "1234567890123456789012345678901234567890123456789012345678901234";
  const Vector vectors[] = {
      {59, "94287082", "46119246", "90693936"},
      {1111111109, "07081804", "68084774", "25091201"},
      {1111111111, "14050471", "67062674", "99943326"},
      {1234567890, "89005924", "91819424", "93441116"},
      {2000000000, "69279037", "90698825", "38618901"},
      {20000000000, "65353130", "77737706", "47863826"},
  };
  for (const auto& v : vectors) {
    EXPECT_EQ(*TotpCode(seed1, v.time, 8, TotpHash::kSha1), v.sha1) << v.time;
    EXPECT_EQ(*TotpCode(seed256, v.time, 8, TotpHash::kSha256), v.sha256) << v.time;
    EXPECT_EQ(*TotpCode(seed512, v.time, 8, TotpHash::kSha512), v.sha512) << v.time;
  }
  // Six digits are the last six of the eight.
  EXPECT_EQ(*TotpCode(seed1, 59), "287082");
}

TEST(Totp, Base32MatchesRfc4648WithoutPadding) {
  EXPECT_EQ(Base32(""), "");
  EXPECT_EQ(Base32("f"), "MY");
  EXPECT_EQ(Base32("fo"), "MZXQ");
  EXPECT_EQ(Base32("foo"), "MZXW6");
  EXPECT_EQ(Base32("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(Base32("12345678901234567890"), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

TEST(Totp, UriNamesIssuerAccountAndSecret) {
  EXPECT_EQ(OtpauthUri("ruth+x@test.kpo.nl", "12345678901234567890"),
            "otpauth://totp/KPO:ruth%2Bx@test.kpo.nl?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            "&issuer=KPO&algorithm=SHA1&digits=6&period=30");
}

TEST(Totp, MatchAcceptsOneStepOfDriftAndNoMore) {
  const std::string secret = "12345678901234567890";
  const int64_t now = 1111111111;  // step 37037037
  const int64_t step = now / kTotpStep;
  EXPECT_EQ(MatchTotp(secret, *TotpCode(secret, now), now), step);
  EXPECT_EQ(MatchTotp(secret, *TotpCode(secret, now - 30), now), step - 1);
  EXPECT_EQ(MatchTotp(secret, *TotpCode(secret, now + 30), now), step + 1);
  EXPECT_EQ(MatchTotp(secret, *TotpCode(secret, now - 90), now), std::nullopt);
  EXPECT_EQ(MatchTotp(secret, *TotpCode(secret, now + 90), now), std::nullopt);
  std::string spaced = *TotpCode(secret, now);
  spaced.insert(3, " ");
  EXPECT_EQ(MatchTotp(secret, spaced, now), step);
}

TEST(Totp, MatchRefusesMalformedCodes) {
  const std::string secret = "12345678901234567890";
  for (const char* bad : {"", "12345", "1234567", "12345a", "１２３４５６", "-12345", "123456\n"}) {
    EXPECT_EQ(MatchTotp(secret, bad, 59), std::nullopt) << bad;
  }
  EXPECT_EQ(MatchTotp(secret, std::string(100000, '1'), 59), std::nullopt);
  // The right code for another secret is wrong here.
  EXPECT_EQ(MatchTotp("another secret 12345", *TotpCode(secret, 59), 59), std::nullopt);
}

TEST(Totp, SecretsAndRecoveryCodesAreRandomAndWellFormed) {
  ASSERT_TRUE(InitCrypto().ok());
  auto a = NewTotpSecret();
  auto b = NewTotpSecret();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->size(), 20u);
  EXPECT_NE(*a, *b);
  const std::string code = NewRecoveryCode();
  ASSERT_EQ(code.size(), 11u);
  EXPECT_EQ(code[5], '-');
  EXPECT_NE(code, NewRecoveryCode());
  const std::string normal = NormalizeRecoveryCode(code);
  EXPECT_EQ(normal.size(), 10u);
  std::string upper = code;
  for (char& c : upper) c = static_cast<char>(toupper(c));
  EXPECT_EQ(NormalizeRecoveryCode(upper), normal);
  EXPECT_EQ(NormalizeRecoveryCode(" " + code + " "), normal);
  for (const char* bad : {"", "abcde", "abcde-fghjk-m", "0bcde-fghjk", "abcde/fghjk"}) {
    EXPECT_EQ(NormalizeRecoveryCode(bad), "") << bad;
  }
}

}  // namespace
}  // namespace kpo::access
