"""Health: GP registrations, long-term conditions, A&E attendances, mental-health contacts."""
