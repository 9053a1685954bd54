"""The benchmark harness of issue 5: synthetic corpora, per-phase child processes, latency over HTTP."""
