/* One line per suite: UNIT_SUITE for pure suites (also run under
 * valgrind), SUITE for those that touch files or processes. */
