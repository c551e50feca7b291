"""How long a test waits for anything a loaded machine can make slow.

Tests never time what they check. When one must wait (a server starting, a response,
threads meeting, a lock released by another thread), it polls or blocks with this
ceiling: generous enough that only a hang, never a busy machine, reaches it.
"""

CEILING_SECONDS = 300
