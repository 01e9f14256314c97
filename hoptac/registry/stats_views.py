"""Statistics pages. (Being written.)"""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("")


statistics = drilldown = _todo
