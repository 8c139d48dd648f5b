/* One line per suite: UNIT_SUITE for pure suites (also run under
 * valgrind), SUITE for those that touch files or processes. */
UNIT_SUITE(util_tests)
UNIT_SUITE(zone_tests)
UNIT_SUITE(lifecycle_tests)
UNIT_SUITE(folio_tests)
UNIT_SUITE(policy_tests)
SUITE(policy_pack_tests)
SUITE(store_tests)
SUITE(app_tests)
UNIT_SUITE(bizcal_tests)
SUITE(cli_tests)
SUITE(sla_tests)
SUITE(cli_sla_tests)
