"""incidents: an event-sourced incident log with replayable state."""
