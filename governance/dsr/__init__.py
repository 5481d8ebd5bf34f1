"""Data-subject requests: access, deletion, correction and marketing opt-out, with deadlines,
a hash-chained audit ledger and response letters. Entry points: :mod:`governance.dsr.service`."""
