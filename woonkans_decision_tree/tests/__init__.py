from . import (
    test_evaluate,
    test_version,
    test_run,
    test_http,
    test_tours,
    test_rpc,
    test_scenario,
    test_transfer,
    test_public_pdf,
)
