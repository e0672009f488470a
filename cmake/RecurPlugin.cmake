# recur_add_plugin(NAME SOURCES... [LIBS ...])
# Builds a runtime-loadable plugin module (MODULE library, hidden visibility) into the
# plugin directory of the build tree and installs it into the install tree's plugin dir.
# Out-of-tree plugins get the same function from the installed package config.
function(recur_add_plugin name)
  cmake_parse_arguments(ARG "NO_INSTALL" "OUTPUT_DIRECTORY" "SOURCES;LIBS" ${ARGN})
  add_library(${name} MODULE ${ARG_SOURCES} ${ARG_UNPARSED_ARGUMENTS})
  target_link_libraries(${name} PRIVATE recur::recur ${ARG_LIBS})
  set(out ${RECUR_PLUGIN_OUTPUT_DIR})
  if(ARG_OUTPUT_DIRECTORY)
    set(out ${ARG_OUTPUT_DIRECTORY})
  endif()
  set_target_properties(${name} PROPERTIES
    PREFIX "lib"
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LIBRARY_OUTPUT_DIRECTORY ${out})
  if(NOT ARG_NO_INSTALL AND DEFINED RECUR_PLUGIN_SUBDIR)
    install(TARGETS ${name} LIBRARY DESTINATION ${RECUR_PLUGIN_SUBDIR})
  endif()
endfunction()
