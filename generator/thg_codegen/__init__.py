"""THG Connect client generator."""
