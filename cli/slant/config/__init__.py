"""Settings, errors and the small contracts every layer shares (progress, retries, versions)."""
