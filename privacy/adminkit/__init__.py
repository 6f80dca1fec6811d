"""Building blocks for admin screens over personal data: read-only pages, masked fields,
audited views, encrypted-field search. Every concern's admin and other apps' use them."""
