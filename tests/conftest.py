"""Test-session settings: BLAS on one thread.

The tests fit many small networks.  On a 2-core machine, BLAS thread pools
spinning up for products of a few hundred numbers, and fighting the other
process of a ``n_jobs=2`` test, made the suite three to four times slower.
Every BLAS and OpenMP pool runs on one thread for the whole session, in this
process and (through the environment) in the processes tests start.  A test
about threading itself asks for the ``blas_threads`` fixture, which lifts the
limit while it runs.
"""

import os

import pytest
from threadpoolctl import threadpool_limits

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")


@pytest.fixture(autouse=True, scope="session")
def _one_blas_thread():
    with threadpool_limits(limits=1):
        yield


@pytest.fixture
def blas_threads():
    """The machine's own thread counts, for a test about threading."""
    with threadpool_limits(limits=os.cpu_count()):
        yield
