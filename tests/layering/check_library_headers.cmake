# Fails when product code includes a library's headers outside the module
# that owns the library (tests and benchmarks may). Run by CTest:
#   cmake -DROOT=<source dir> -P check_library_headers.cmake
set(owners
  "xapian\\.h|xapian/" "backend/src/search/"
  "sqlite3\\.h" "backend/src/store/"
  "cmark" "backend/src/render/"
  "pistache/" "backend/src/http/"
  "yaml-cpp/" "backend/src/content/"
  "liboath/" "backend/src/access/")
file(GLOB_RECURSE files RELATIVE ${ROOT} ${ROOT}/backend/*.h ${ROOT}/backend/*.cc
     ${ROOT}/indexer/*.h ${ROOT}/indexer/*.cc)
list(FILTER files EXCLUDE REGEX "_test\\.cc$")
set(failures "")
foreach(file ${files})
  file(STRINGS ${ROOT}/${file} includes REGEX "^#include <")
  set(i 0)
  list(LENGTH owners n)
  while(i LESS n)
    list(GET owners ${i} pattern)
    math(EXPR j "${i} + 1")
    list(GET owners ${j} owner)
    foreach(line ${includes})
      if(line MATCHES "<(${pattern})" AND NOT file MATCHES "^${owner}")
        string(APPEND failures "  ${file}: ${line} (only ${owner} may)\n")
      endif()
    endforeach()
    math(EXPR i "${i} + 2")
  endwhile()
endforeach()
if(failures)
  message(FATAL_ERROR "library headers outside their module:\n${failures}")
endif()
message(STATUS "library headers: every include in its module")
