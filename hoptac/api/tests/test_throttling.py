"""Rate limits: anonymous clients per address, token holders per account; the answer says when to retry."""

import pytest
from django.urls import reverse

from .conftest import as_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "5/minute"},
    }


def test_anonymous_clients_are_limited_per_address(api, low_rates):
    url = reverse("api:statistics")
    assert [api.get(url).status_code for _ in range(3)] == [200, 200, 200]

    refused = api.get(url)

    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "throttled"
    assert int(refused["Retry-After"]) > 0
    assert "thử lại sau" in refused.json()["error"]["message"]
    # Another address has its own quota.
    assert api.get(url, REMOTE_ADDR="10.0.0.9").status_code == 200


def test_token_holders_have_their_own_larger_quota(api, staff, low_rates):
    url = reverse("api:statistics")
    for _ in range(3):
        api.get(url)
    assert api.get(url).status_code == 429

    client = as_user(staff)
    assert [client.get(url).status_code for _ in range(5)] == [200] * 5
    assert client.get(url).status_code == 429


def test_the_rates_come_from_the_environment_and_a_bad_one_stops_start_up(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import config.settings

    monkeypatch.setenv("API_ANON_RATE", "lots")
    with pytest.raises(ImproperlyConfigured, match="API_ANON_RATE"):
        importlib.reload(config.settings)
    monkeypatch.setenv("API_ANON_RATE", "30/minute")
    assert importlib.reload(config.settings).REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"] == "30/minute"
    monkeypatch.delenv("API_ANON_RATE")
    importlib.reload(config.settings)
