"""The domain: value objects, the event catalogue and the Report aggregate. No I/O here."""
