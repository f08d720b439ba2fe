"""The national forum's public record: members, organisations, forums, seats, meetings,
decisions, letters and statements."""
