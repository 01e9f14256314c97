"""Registry pages for staff: list, detail with timeline, forms. (Being written.)"""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("")


organization_list = organization_create = organization_detail = organization_edit = _todo
organization_archive = organization_restore = event_create = membership_change = _todo
