"""The reader's real address behind trusted proxies, and public/private address checks."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from akhbar.core.net import client_ip, is_public_address, parse_ip

rf = RequestFactory()


def req(remote: str, xff: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return rf.get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.AKHBAR_TRUSTED_PROXIES = []
    assert client_ip(req("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_untrusted_peer_cannot_forge_its_address(settings):
    settings.AKHBAR_TRUSTED_PROXIES = ["127.0.0.1/32"]
    assert client_ip(req("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_rightmost_untrusted_address_across_trusted_hops(settings):
    settings.AKHBAR_TRUSTED_PROXIES = ["127.0.0.1/32", "10.0.0.0/8"]
    # The client forged "1.1.1.1"; nginx (10.0.0.5) saw 198.51.100.23 and appended it; the
    # load balancer in front of nginx appended 10.0.0.5; the app sees 127.0.0.1.
    r = req("127.0.0.1", "1.1.1.1, 198.51.100.23, 10.0.0.5")
    assert client_ip(r) == "198.51.100.23"


def test_all_hops_trusted_gives_the_leftmost(settings):
    settings.AKHBAR_TRUSTED_PROXIES = ["10.0.0.0/8", "127.0.0.0/8"]
    assert client_ip(req("127.0.0.1", "10.1.1.1, 10.2.2.2")) == "10.1.1.1"


def test_garbage_in_the_header_stops_at_the_last_known_hop(settings):
    settings.AKHBAR_TRUSTED_PROXIES = ["127.0.0.1/32", "10.0.0.0/8"]
    assert client_ip(req("127.0.0.1", "<script>, 10.0.0.9")) == "10.0.0.9"
    assert client_ip(req("127.0.0.1", "")) == "127.0.0.1"


def test_ports_brackets_and_ipv6(settings):
    settings.AKHBAR_TRUSTED_PROXIES = ["::1/128", "127.0.0.1"]
    assert client_ip(req("::1", "[2001:db8::5]:443")) == "2001:db8::5"
    assert client_ip(req("127.0.0.1", "198.51.100.4:51234")) == "198.51.100.4"
    assert client_ip(req("::ffff:203.0.113.9")) == "203.0.113.9"


def test_trusted_proxies_may_be_a_comma_separated_string(settings):
    settings.AKHBAR_TRUSTED_PROXIES = "127.0.0.1/32, 10.0.0.0/8"
    assert client_ip(req("127.0.0.1", "198.51.100.23")) == "198.51.100.23"


def test_unknown_remote_address_is_empty():
    assert client_ip(req("")) == ""
    assert client_ip(req("unix:/run/sock")) == ""


@pytest.mark.parametrize(
    "ip",
    [
        "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
        "0.0.0.0", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255", "::1", "::",
        "fe80::1", "fc00::1", "ff02::1", "::ffff:127.0.0.1", "64:ff9b::a00:1", "192.0.2.1",
        "2001:db8::1", "not an ip", "",
    ],
)  # fmt: skip
def test_non_public_addresses(ip):
    assert not is_public_address(ip)


@pytest.mark.parametrize("ip", ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.4.4"])
def test_public_addresses(ip):
    assert is_public_address(ip)
    assert is_public_address(parse_ip(ip))
