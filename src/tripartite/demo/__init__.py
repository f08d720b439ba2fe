"""The Mexico 2017 scenario."""
