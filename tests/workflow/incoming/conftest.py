"""The incoming tests share the numbering tests' cast: clerks of unit A, unit B and the
headquarters, unit A's process administrator and the system administrator."""

from tests.workflow.numbering.conftest import (  # noqa: F401 (fixtures)
    clerk_a,
    clerk_b,
    clerk_hq,
    prefix_a,
    process_admin_a,
    system_admin,
    unit_b,
)
