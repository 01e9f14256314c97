"""Excel template, import and export pages. (Being written.)"""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("")


export = template = upload = _todo
