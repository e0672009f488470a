# recur_add_module(NAME SOURCES... [LIBS ...])
# A shared module recur loads itself on first use (dlopen), not a plugin: what brings
# many shared libraries (Cairo, Pango, OpenCV) and only some commands need. Built into
# lib/recur/ of the build tree (the folder above the plugin directory, where the code
# that loads it looks) and installed there; it finds librecur one folder up.
function(recur_add_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  get_filename_component(module_dir ${RECUR_PLUGIN_SUBDIR} DIRECTORY)
  add_library(${name} MODULE ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS})
  set_target_properties(${name} PROPERTIES
    PREFIX "lib"
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LIBRARY_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/${module_dir}
    INSTALL_RPATH "$ORIGIN/..")
  install(TARGETS ${name} LIBRARY DESTINATION ${module_dir})
endfunction()
