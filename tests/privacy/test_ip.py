import pytest

from privacy.ip import truncate_ip


@pytest.mark.parametrize(
    ("address", "truncated"),
    [
        ("203.0.113.77", "203.0.113.0"),
        ("2001:db8:abcd:12:1:2:3:4", "2001:db8:abcd::"),
        ("::ffff:198.51.100.9", "198.51.100.0"),
        ("not an address", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_addresses_are_truncated_to_their_network(address, truncated):
    assert truncate_ip(address) == truncated
