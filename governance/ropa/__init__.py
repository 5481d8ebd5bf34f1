"""Records of processing activities (GDPR Art. 30) from the declared inventory: build and write."""
