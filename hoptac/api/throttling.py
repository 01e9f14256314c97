"""Rate limits: per address for anonymous clients, per account for token holders.

REST framework copies the rates into its throttle classes when it is imported; these read
them on every request instead, so a changed setting (or a test's) takes effect.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class AnonThrottle(AnonRateThrottle):
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]


class UserThrottle(UserRateThrottle):
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
