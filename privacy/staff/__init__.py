"""Staff governance: roles, the admin gate, agreements and procedures, what staff saw.

Other apps use ``privacy.staff.api`` (admin mixins, role grants, a member's staff views)."""
