"""Re-identification risk of a dataset, and de-identified exports that lower it."""
