"""Files in and out: report files, reference data, and their validation."""
