"""Cookie and purpose consent: registry, middleware, proof of consent, privacy centre."""
