# kpo_module(): one STATIC library per module, with the dependencies the
# build enforces (docs/architecture.md, "Layering").
#
#   kpo_module(<name>                      # sources: backend/src/<name>/*.cc
#     PUBLIC  <module or target>...        # used in this module's headers
#     PRIVATE <module or target>...        # used only in its .cc files
#     [INTERNAL <header>...]               # headers other modules may not include
#     [DIR <dir>])                         # default: backend/src/<name>
#
# A module is compiled against include "views": directories in the build tree
# holding symbolic links to its own headers and to the public headers of the
# modules it names, and nothing else. Including a header of a module that is
# not a dependency (or an INTERNAL header of another module) therefore fails
# to compile. *_test.cc and *_main.cc are left out (unit tests, programs).
# Module names go into the global property KPO_MODULES (the unit tests link
# every module; kpo_check_modules() finds a source directory without one).
set(KPO_MODULE_ROOT ${CMAKE_SOURCE_DIR}/backend/src)
set(KPO_VIEW_ROOT ${CMAKE_BINARY_DIR}/backend/include_views)

function(kpo_module name)
  cmake_parse_arguments(M "" "DIR" "PUBLIC;PRIVATE;INTERNAL" ${ARGN})
  if(NOT M_DIR)
    set(M_DIR ${KPO_MODULE_ROOT}/${name})
  endif()
  file(GLOB sources CONFIGURE_DEPENDS ${M_DIR}/*.cc)
  list(FILTER sources EXCLUDE REGEX "(_test|_main)\\.cc$")
  file(GLOB headers CONFIGURE_DEPENDS ${M_DIR}/*.h)
  if(sources)
    add_library(kpo_${name} STATIC ${sources})
    set(scope_public PUBLIC)
    set(scope_private PRIVATE)
  else()
    add_library(kpo_${name} INTERFACE)
    set(scope_public INTERFACE)
    set(scope_private INTERFACE)
  endif()

  # What other modules see: every header but the INTERNAL ones.
  set(views ${KPO_VIEW_ROOT}/${name})
  file(REMOVE_RECURSE ${views})
  file(MAKE_DIRECTORY ${views}/public/${name} ${views}/all)
  foreach(header ${headers})
    get_filename_component(file ${header} NAME)
    if(NOT file IN_LIST M_INTERNAL)
      file(CREATE_LINK ${header} ${views}/public/${name}/${file} SYMBOLIC)
    endif()
  endforeach()
  # What the module itself (and the unit tests) see: all of its headers.
  file(CREATE_LINK ${M_DIR} ${views}/all/${name} SYMBOLIC)
  if(sources)
    target_include_directories(kpo_${name} BEFORE PRIVATE ${views}/all)
  endif()
  target_include_directories(kpo_${name} ${scope_public} ${views}/public)

  foreach(scope PUBLIC PRIVATE)
    foreach(dep ${M_${scope}})
      if(TARGET kpo_${dep})
        set(dep kpo_${dep})
      elseif(NOT TARGET ${dep})
        message(FATAL_ERROR "kpo_module(${name}): '${dep}' is no module or target (declare modules in dependency order)")
      endif()
      if(scope STREQUAL PUBLIC)
        target_link_libraries(kpo_${name} ${scope_public} ${dep})
      else()
        target_link_libraries(kpo_${name} ${scope_private} ${dep})
      endif()
    endforeach()
  endforeach()
  set_property(GLOBAL APPEND PROPERTY KPO_MODULES ${name})
  set_property(GLOBAL APPEND PROPERTY KPO_MODULE_VIEWS ${views}/all)
endfunction()

# Fails the configuration when a directory under backend/src holds sources
# but was never declared with kpo_module(): its code would silently not be built.
function(kpo_check_modules)
  get_property(modules GLOBAL PROPERTY KPO_MODULES)
  file(GLOB entries LIST_DIRECTORIES true ${KPO_MODULE_ROOT}/*)
  foreach(entry ${entries})
    get_filename_component(dir ${entry} NAME)
    if(IS_DIRECTORY ${entry} AND NOT dir IN_LIST modules)
      message(FATAL_ERROR "backend/src/${dir} is not declared: add kpo_module(${dir} PUBLIC ... PRIVATE ...) to backend/CMakeLists.txt")
    endif()
  endforeach()
endfunction()
