"""Key rotation: re-encrypt under the primary key, re-index under the current blind index key."""
