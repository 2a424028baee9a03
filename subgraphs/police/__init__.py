"""Police: nominals known to GMP, the incidents they were part of, and warning markers."""
