"""Concurrency and fault tests (issue 8 point 4), one module per fault.

- test_two_navigators.py: two navigators (owner and a colleague the case is shared with) on
  the same case at once, over real HTTP against the live server.
- test_two_supervisors.py: two supervisors deciding the same breach at once, over HTTP.
- test_database_restart.py: PostgreSQL restarted mid-request (a private throwaway cluster).
- test_redis_outage.py: the broker down for a minute (a private redis-server).
- test_overlapping_sweeps.py: a sweep held mid-batch when the next one starts; the
  service-level overlaps are in tests/scheduling/test_sweep.py.

Helpers: web.py (HTTP sessions, form parsing, barrier threads), processes.py (the private
servers and the app as its own process, always stopped and removed afterwards).
"""
