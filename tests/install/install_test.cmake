# cmake -P script: installs the recur build tree BUILD_DIR into a temporary prefix,
# builds EXAMPLE_DIR out of tree against it with find_package(recur), and checks that
# the installed `recur plugins` lists the example plugin, both from --plugin-path and
# from the install's own plugin directory (PLUGIN_SUBDIR under the prefix).
foreach(var BUILD_DIR WORK_DIR EXAMPLE_DIR GENERATOR CXX_COMPILER PLUGIN_SUBDIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "install_test.cmake needs -D${var}=...")
  endif()
endforeach()

# run(COMMAND...): runs a command, fails the test with its output if it fails, and
# leaves its standard output in `run_output`.
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${ARGN}")
    message(FATAL_ERROR "command failed (${rc}): ${cmd}\n--- stdout\n${out}\n--- stderr\n${err}")
  endif()
  set(run_output "${out}" PARENT_SCOPE)
endfunction()

function(expect_in haystack needle what)
  string(FIND "${haystack}" "${needle}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${what}: expected to find\n  ${needle}\nin\n${haystack}")
  endif()
endfunction()

set(prefix ${WORK_DIR}/prefix)
set(example_build ${WORK_DIR}/example_build)
file(REMOVE_RECURSE ${WORK_DIR})

run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
run(${CMAKE_COMMAND} -S ${EXAMPLE_DIR} -B ${example_build} -G ${GENERATOR}
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
    -DCMAKE_BUILD_TYPE=Release)
run(${CMAKE_COMMAND} --build ${example_build})

set(plugin ${example_build}/libexample_bytes.so)
run(${prefix}/bin/recur plugins --plugin-path ${example_build})
expect_in("${run_output}" "  example 1.0.0  ${plugin}\n    tokenizer/example_bytes\n"
          "recur plugins --plugin-path")

# Dropped into the install's plugin directory, it is found without any path.
file(MAKE_DIRECTORY ${prefix}/${PLUGIN_SUBDIR})
file(COPY ${plugin} DESTINATION ${prefix}/${PLUGIN_SUBDIR})
run(${prefix}/bin/recur plugins)
expect_in("${run_output}" "  example 1.0.0  ${prefix}/${PLUGIN_SUBDIR}/libexample_bytes.so\n"
          "recur plugins (built-in directory)")

# The plot commands are a module the installed executable finds beside its plugins.
run(${prefix}/bin/recur plot --help)
expect_in("${run_output}" "usage: recur plot attention" "recur plot --help (installed)")

# So is the OpenCV side of the opencv plugin (loaded when a pipeline first asks for it):
# a PNG drawn by the installed recur plot, captioned by the fixture model.
run(${prefix}/bin/recur plot training ${SOURCE_DIR}/models/en-fr -o ${WORK_DIR}/curve.png)
run(${prefix}/bin/recur caption -m ${SOURCE_DIR}/tests/data/fixtures/caption ${WORK_DIR}/curve.png)
expect_in("${run_output}" "curve.png" "recur caption (installed)")

file(REMOVE_RECURSE ${WORK_DIR})
