# Install headers, librecur, the recur executable, plugins and a CMake package config so
# that a user's plugin builds out of tree with find_package(recur).
include(CMakePackageConfigHelpers)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/framework/include/recur
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS recur EXPORT recurTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT recurTargets NAMESPACE recur::
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/recur)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/recurConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/recurConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/recur
  PATH_VARS RECUR_PLUGIN_SUBDIR)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/recurConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES
  ${CMAKE_CURRENT_BINARY_DIR}/recurConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/recurConfigVersion.cmake
  ${PROJECT_SOURCE_DIR}/cmake/RecurPlugin.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/recur)
