"""Key rotation: re-encrypt every value not sealed by the primary key."""
