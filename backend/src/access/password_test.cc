// Tests password.h: Argon2id hashes, random tokens, token hashes and
// constant-time comparison, against the real libsodium.
#include "access/password.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace kpo::access {
namespace {

TEST(Password, HashIsArgon2idAndVerifies) {
  auto hash = HashPassword("correct horse battery", PasswordOptions::Minimum());
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
  EXPECT_EQ(hash->find("correct horse battery"), std::string::npos);
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse batterY"));
  EXPECT_FALSE(VerifyPassword(*hash, ""));
}

TEST(Password, HashesAreSalted) {
  auto a = HashPassword("same password", PasswordOptions::Minimum());
  auto b = HashPassword("same password", PasswordOptions::Minimum());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(VerifyPassword(*a, "same password"));
  EXPECT_TRUE(VerifyPassword(*b, "same password"));
}

TEST(Password, NulBytesArePartOfThePassword) {
  const std::string with_nul("abcdef\0ghijkl", 13);
  auto hash = HashPassword(with_nul, PasswordOptions::Minimum());
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(VerifyPassword(*hash, with_nul));
  EXPECT_FALSE(VerifyPassword(*hash, "abcdef"));
}

TEST(Password, MalformedHashNeverVerifies) {
  EXPECT_FALSE(VerifyPassword("", "x"));
  EXPECT_FALSE(VerifyPassword("not a hash", "not a hash"));
  EXPECT_FALSE(VerifyPassword(std::string(500, '$'), "x"));
  EXPECT_FALSE(VerifyPassword("$argon2id$v=19$m=8,t=1,p=1$AAAA$AAAA", "x"));
}

TEST(Password, NeedsRehashWhenLimitsChange) {
  auto hash = HashPassword("a fine password", PasswordOptions::Minimum());
  ASSERT_TRUE(hash.ok());
  EXPECT_FALSE(NeedsRehash(*hash, PasswordOptions::Minimum()));
  EXPECT_TRUE(NeedsRehash(*hash, PasswordOptions{}));
  EXPECT_TRUE(NeedsRehash("garbage", PasswordOptions::Minimum()));
}

TEST(Password, DefaultOptionsAreInteractive) {
  PasswordOptions defaults;
  EXPECT_EQ(defaults.ops_limit, 2u);
  EXPECT_EQ(defaults.mem_limit, size_t{64} * 1024 * 1024);
}

TEST(RandomToken, Is256BitsOfHexAndUnique) {
  ASSERT_TRUE(InitCrypto().ok());
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    std::string token = RandomToken();
    EXPECT_EQ(token.size(), 64u);
    EXPECT_TRUE(IsWellFormedToken(token)) << token;
    seen.insert(token);
  }
  EXPECT_EQ(seen.size(), 200u);
  EXPECT_EQ(RandomHex(12).size(), 24u);
}

TEST(TokenHash, IsBlake2b256Hex) {
  // Reference value: hashlib.blake2b(b"abc", digest_size=32).hexdigest().
  EXPECT_EQ(TokenHash("abc"), "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
  std::string token = RandomToken();
  EXPECT_EQ(TokenHash(token), TokenHash(token));
  EXPECT_NE(TokenHash(token), token);
  EXPECT_TRUE(IsWellFormedToken(TokenHash(token)));
}

TEST(IsWellFormedToken, RefusesAnythingElse) {
  const std::string good(64, 'a');
  EXPECT_TRUE(IsWellFormedToken(good));
  EXPECT_FALSE(IsWellFormedToken(""));
  EXPECT_FALSE(IsWellFormedToken(good.substr(1)));
  EXPECT_FALSE(IsWellFormedToken(good + "a"));
  EXPECT_FALSE(IsWellFormedToken(std::string(64, 'A')));
  EXPECT_FALSE(IsWellFormedToken(std::string(64, 'g')));
  std::string with_nul = good;
  with_nul[10] = '\0';
  EXPECT_FALSE(IsWellFormedToken(with_nul));
}

TEST(SecretsEqual, ComparesWholeValues) {
  EXPECT_TRUE(SecretsEqual("abc", "abc"));
  EXPECT_FALSE(SecretsEqual("abc", "abd"));
  EXPECT_FALSE(SecretsEqual("abc", "abcd"));
  EXPECT_FALSE(SecretsEqual("", "a"));
  EXPECT_TRUE(SecretsEqual(std::string("a\0b", 3), std::string("a\0b", 3)));
  EXPECT_FALSE(SecretsEqual(std::string("a\0b", 3), std::string("a\0c", 3)));
}

}  // namespace
}  // namespace kpo::access
