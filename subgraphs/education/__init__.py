"""Education: pupils, their schools and enrolments, termly attendance, exclusions and SEND."""
