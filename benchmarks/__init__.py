"""The scanner benchmark: dataset generator, peers, scoring and the run that writes RESULTS.md."""
