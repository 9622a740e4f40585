# How CTest runs a GoogleTest binary.
#   kpo_add_gtest(TARGET LABEL)
# By default one CTest test per GoogleTest test (gtest_discover_tests): a
# developer runs one with `ctest -R Suite.Name`. With KPO_TEST_SHARDS=N (the
# test command's three trees; the TSan tree picks its suites with
# GTEST_FILTER, scripts/proof.sh) the binary runs as N processes, each
# the N-th part of its tests (GoogleTest's own sharding): one process per
# test pays the process start, ASan's start and exit leak check and every
# SetUpTestSuite again for each of some 430 tests (docs/testing-proof.md,
# "CI time": the tests under ASan took 490 s one process per test, 257-316 s
# in shards). A failure still names its test in the shard's output.
set(KPO_TEST_SHARDS 0 CACHE STRING
  "Run each GoogleTest binary as this many CTest shards (0: one CTest test per test)")

# The tests' own code (not the product code they link) compiles at -O1 in
# an optimised tree: g++ takes about 40 % less time for a test file than at
# -O2, clang with ASan about 20 % (docs/testing-proof.md, "The GoogleTest
# suites once"); what a test runs is mostly the product's code, which keeps
# the tree's level.
#   kpo_test_code_options(TARGET)
function(kpo_test_code_options target)
  target_compile_options(${target} PRIVATE $<$<CONFIG:RelWithDebInfo,Release>:-O1>)
endfunction()

function(kpo_add_gtest target label)
  kpo_test_code_options(${target})
  if(KPO_TEST_SHARDS GREATER 0)
    math(EXPR last "${KPO_TEST_SHARDS} - 1")
    foreach(i RANGE ${last})
      set(name ${target}.shard${i})
      add_test(NAME ${name} COMMAND ${target})
      set_tests_properties(${name} PROPERTIES LABELS ${label} ENVIRONMENT
        "GTEST_TOTAL_SHARDS=${KPO_TEST_SHARDS};GTEST_SHARD_INDEX=${i}")
    endforeach()
  else()
    gtest_discover_tests(${target} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS ${label})
  endif()
endfunction()
