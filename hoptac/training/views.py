"""Pages of training: the year's plan and its progress, courses, their participants, attendance and Excel.

Everyone signed in reads what they may see: the alliance's staff everything; area officers
and cooperative accounts the courses their organisations' people attended, and only those
people. Plans are the alliance's papers: its staff only. Administrators and the training
department write; any other write answers 403, a record the user may not see 404.
"""

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hoptac.core.audit import entries_for
from hoptac.core.xlsx import FileProblem, RowError, check_size

from . import excel, exporters, selectors, services
from .forms import (
    CourseFilterForm,
    CourseForm,
    ImportForm,
    IssueForm,
    OptionalReasonForm,
    ParticipantForm,
    PlanForm,
    PlannedCourseForm,
    ReasonForm,
)
from .models import Course, CourseStatus, Participant, Plan, PlannedCourse

PAGE_SIZE = 50
# The audit actions as the history lists them.
ACTIONS = {
    "training.plan.created": gettext_lazy("Plan recorded"),
    "training.plan.changed": gettext_lazy("Plan changed"),
    "training.plan.issued": gettext_lazy("Plan issued"),
    "training.course.created": gettext_lazy("Course recorded"),
    "training.course.changed": gettext_lazy("Course changed"),
    "training.course.held": gettext_lazy("Course marked as held"),
    "training.course.cancelled": gettext_lazy("Course cancelled"),
    "training.course.attendance_marked": gettext_lazy("Attendance saved"),
    "training.course.participants_imported": gettext_lazy("Participants imported from Excel"),
    "training.participant.created": gettext_lazy("Added to the list"),
    "training.participant.changed": gettext_lazy("Details changed"),
    "training.participant.archived": gettext_lazy("Taken off the list"),
    "training.participant.restored": gettext_lazy("Back on the list"),
}


def _require_manage(user) -> None:
    if not selectors.can_manage_training(user):
        raise PermissionDenied


def _require_plans(user) -> None:
    if not selectors.sees_plans(user):
        raise PermissionDenied


def _form_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form fields it names, or on the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _history(instance) -> list:
    """The latest audit entries about instance, each with a readable label."""
    entries = list(entries_for(instance)[:20])
    for entry in entries:
        entry.label = ACTIONS.get(entry.action, entry.action)
    return entries


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exporters.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _safe(text: str) -> str:
    return "".join(c if c.isascii() and c.isalnum() else "-" for c in text).strip("-") or "x"


# ---------------------------------------------------------------- overview


@login_required
@require_GET
def index(request):
    """This year's plan against what was done, and the courses coming up and just held."""
    user, today = request.user, timezone.localdate()
    form = CourseFilterForm(request.GET or None)
    asked = form.cleaned_data.get("year") if form.is_valid() else None
    year = asked or today.year
    plan = selectors.plan_of_year(user, year)
    if plan is None and not asked:
        # No plan yet this year (or a demo of past years): follow the latest plan recorded.
        latest = selectors.latest_plan_year(user)
        plan = selectors.plan_of_year(user, latest) if latest else None
    return render(
        request,
        "training/index.html",
        {
            "year": plan.year if plan else year,
            "plan": plan,
            "progress": selectors.plan_progress(plan) if plan else None,
            "upcoming": selectors.upcoming_courses(user, today),
            "recent": selectors.recent_courses(user, today),
            "can_manage": selectors.can_manage_training(user),
            "sees_plans": selectors.sees_plans(user),
        },
    )


# ---------------------------------------------------------------- plans


@login_required
@require_GET
def plan_list(request):
    _require_plans(request.user)
    page_obj = Paginator(
        selectors.plans_for(request.user).select_related("document").order_by("-year", "-id"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "training/plan_list.html",
        {"page_obj": page_obj, "can_manage": selectors.can_manage_training(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request):
    _require_manage(request.user)
    form = PlanForm(request.POST or None, initial={"year": timezone.localdate().year, "budget": 0})
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The plan was saved as a draft. Add its planned courses."))
            return redirect("training:plan", plan.pk)
    return render(request, "training/plan_form.html", {"form": form, "plan": None})


def _plan_or_404(user, pk: int) -> Plan:
    _require_plans(user)
    return get_object_or_404(selectors.plans_for(user).select_related("document"), pk=pk)


def _render_plan(request, plan: Plan, *, issue_form=None, status: int = 200):
    can_manage = selectors.can_manage_training(request.user)
    return render(
        request,
        "training/plan_detail.html",
        {
            "plan": plan,
            "progress": selectors.plan_progress(plan),
            "can_manage": can_manage,
            "issue_form": issue_form or IssueForm(initial={"number": plan.number, "issued_on": timezone.localdate()}),
            "can_issue": can_manage and not plan.is_issued,
            "history": _history(plan),
        },
        status=status,
    )


@login_required
@require_GET
def plan_detail(request, pk: int):
    return _render_plan(request, _plan_or_404(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk: int):
    _require_manage(request.user)
    plan = _plan_or_404(request.user, pk)
    initial = {name: getattr(plan, name) for name in services.PLAN_FIELDS}
    form = PlanForm(request.POST or None, initial=initial, issued=plan.is_issued)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(plan=plan, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The plan was saved."))
            return redirect("training:plan", plan.pk)
    return render(request, "training/plan_form.html", {"form": form, "plan": plan})


@login_required
@require_POST
def plan_issue(request, pk: int):
    _require_manage(request.user)
    plan = _plan_or_404(request.user, pk)
    form = IssueForm(request.POST)
    if form.is_valid():
        try:
            services.plan_issue(plan=plan, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The plan was marked as issued."))
            return redirect("training:plan", plan.pk)
    return _render_plan(request, plan, issue_form=form, status=400)


@login_required
@require_GET
def plan_export(request, pk: int):
    plan = _plan_or_404(request.user, pk)
    return _xlsx(exporters.plan_progress_sheet(plan), f"ke-hoach-tap-huan-{plan.year}-{_safe(plan.number)}.xlsx")


def _planned_form(request, plan: Plan, planned: PlannedCourse | None):
    initial = {name: getattr(planned, name) for name in services.PLANNED_FIELDS} if planned else {"budget": 0}
    form = PlannedCourseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if planned is None:
                services.planned_course_add(plan=plan, by=request.user, **form.cleaned_data)
            else:
                services.planned_course_update(planned=planned, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The planned course was saved."))
            return redirect("training:plan", plan.pk)
    return render(request, "training/planned_form.html", {"form": form, "plan": plan, "planned": planned})


@login_required
@require_http_methods(["GET", "POST"])
def planned_add(request, pk: int):
    _require_manage(request.user)
    return _planned_form(request, _plan_or_404(request.user, pk), None)


@login_required
@require_http_methods(["GET", "POST"])
def planned_edit(request, pk: int, planned_pk: int):
    _require_manage(request.user)
    plan = _plan_or_404(request.user, pk)
    return _planned_form(request, plan, get_object_or_404(plan.planned_courses, pk=planned_pk))


# ---------------------------------------------------------------- courses


@login_required
@require_GET
def course_list(request):
    form = CourseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.course_list(
        request.user,
        year=filters.get("year"),
        status=filters.get("status", ""),
        target_group=filters.get("target_group", ""),
    )
    page_obj = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "training/course_list.html",
        {"form": form, "page_obj": page_obj, "can_manage": selectors.can_manage_training(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def course_create(request):
    _require_manage(request.user)
    initial = {"budget": 0}
    asked = request.GET.get("planned", "")
    planned = PlannedCourse.objects.filter(pk=int(asked)).first() if asked.isdigit() else None
    if planned is not None:
        initial.update(
            planned=planned,
            topic=planned.topic,
            target_group=planned.target_group,
            budget=planned.budget,
            budget_source=planned.budget_source,
        )
    form = CourseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The course was recorded. Register its participants."))
            return redirect("training:course", course.pk)
    return render(request, "training/course_form.html", {"form": form, "course": None})


def _course_or_404(user, pk: int) -> Course:
    return get_object_or_404(selectors.courses_for(user).select_related("planned__plan"), pk=pk)


def _render_course(request, course: Course, *, participant_form=None, attendance_errors=(), status: int = 200):
    user = request.user
    can_manage = selectors.can_manage_training(user)
    participants = list(selectors.course_participants(user, course))
    current = [p for p in participants if p.archived_on is None]
    open_course = course.status != CourseStatus.CANCELLED
    return render(
        request,
        "training/course_detail.html",
        {
            "course": course,
            "participants": current,
            "archived": [p for p in participants if p.archived_on] if can_manage else [],
            "learners": sum(1 for p in current if p.role == "learner"),
            "attended": sum(1 for p in current if p.role == "learner" and p.attended),
            "can_manage": can_manage,
            "can_edit_list": can_manage and open_course,
            "can_mark_attendance": can_manage and open_course and course.starts_on <= timezone.localdate(),
            "can_mark_held": can_manage
            and course.status == CourseStatus.PLANNED
            and course.ends_on <= timezone.localdate(),
            "participant_form": participant_form or (ParticipantForm(user=user) if can_manage else None),
            "attendance_errors": attendance_errors,
            "history": _history(course) if user.is_alliance else [],
        },
        status=status,
    )


@login_required
@require_GET
def course_detail(request, pk: int):
    return _render_course(request, _course_or_404(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def course_edit(request, pk: int):
    _require_manage(request.user)
    course = _course_or_404(request.user, pk)
    initial = {name: getattr(course, name) for name in services.COURSE_FIELDS}
    form = CourseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.course_update(course=course, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The course was saved."))
            return redirect("training:course", course.pk)
    return render(request, "training/course_form.html", {"form": form, "course": course})


@login_required
@require_POST
def course_held(request, pk: int):
    _require_manage(request.user)
    course = _course_or_404(request.user, pk)
    try:
        services.course_mark_held(course=course, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The course was marked as held."))
    return redirect("training:course", course.pk)


@login_required
@require_http_methods(["GET", "POST"])
def course_cancel(request, pk: int):
    _require_manage(request.user)
    course = _course_or_404(request.user, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.course_cancel(course=course, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The course was cancelled."))
            return redirect("training:course", course.pk)
    return render(
        request,
        "training/reason_form.html",
        {
            "form": form,
            "course": course,
            "title": _("Cancel this course"),
            "explain": _("A cancelled course stays on record with its reason; it no longer counts in the figures."),
            "button": _("Cancel the course"),
            "danger": True,
            "back": reverse("training:course", args=[course.pk]),
        },
    )


@login_required
@require_GET
def course_export(request, pk: int):
    """The participant list as a sign-in sheet (only the people the user may see)."""
    course = _course_or_404(request.user, pk)
    participants = selectors.course_participants(request.user, course).filter(archived_on__isnull=True)
    return _xlsx(
        exporters.sign_in_sheet(course, participants), f"danh-sach-lop-{course.starts_on:%Y%m%d}-{course.pk}.xlsx"
    )


# ---------------------------------------------------------------- participants


@login_required
@require_POST
def participant_add(request, pk: int):
    _require_manage(request.user)
    course = _course_or_404(request.user, pk)
    form = ParticipantForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            person = services.participant_add(course=course, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("%(name)s was added to the list.") % {"name": person.full_name})
            return redirect(reverse("training:course", args=[course.pk]) + "#participants")
    return _render_course(request, course, participant_form=form, status=400)


def _participant_or_404(user, pk: int) -> Participant:
    return get_object_or_404(selectors.participants_for(user).select_related("course"), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def participant_edit(request, pk: int):
    _require_manage(request.user)
    person = _participant_or_404(request.user, pk)
    initial = {name: getattr(person, name) for name in services.PARTICIPANT_FIELDS}
    form = ParticipantForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_update(participant=person, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The participant was saved."))
            return redirect(reverse("training:course", args=[person.course_id]) + "#participants")
    return render(
        request,
        "training/participant_form.html",
        {"form": form, "person": person, "course": person.course, "history": _history(person)},
    )


def _archive_or_restore(request, pk: int, *, archive: bool):
    _require_manage(request.user)
    person = _participant_or_404(request.user, pk)
    form = (ReasonForm if archive else OptionalReasonForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service = services.participant_archive if archive else services.participant_restore
        try:
            service(participant=person, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            if archive:
                messages.success(request, _("%(name)s was taken off the list.") % {"name": person.full_name})
            else:
                messages.success(request, _("%(name)s is back on the list.") % {"name": person.full_name})
            return redirect(reverse("training:course", args=[person.course_id]) + "#participants")
    if archive:
        title = _("Take %(name)s off the list") % {"name": person.full_name}
        explain = _(
            "For a person entered by mistake or twice. The record is kept with its history and can be restored; "
            "it no longer counts in the figures."
        )
    else:
        title = _("Put %(name)s back on the list") % {"name": person.full_name}
        explain = _("The person will count again in the course's figures.")
    return render(
        request,
        "training/reason_form.html",
        {
            "form": form,
            "course": person.course,
            "title": title,
            "explain": explain,
            "button": _("Take off the list") if archive else _("Restore"),
            "danger": archive,
            "back": reverse("training:course", args=[person.course_id]) + "#participants",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def participant_archive(request, pk: int):
    return _archive_or_restore(request, pk, archive=True)


@login_required
@require_http_methods(["GET", "POST"])
def participant_restore(request, pk: int):
    return _archive_or_restore(request, pk, archive=False)


@login_required
@require_POST
def attendance(request, pk: int):
    """The attendance table: every tick box (and days) of the list saved at once."""
    _require_manage(request.user)
    course = _course_or_404(request.user, pk)

    def ids(name: str) -> set[int]:
        return {int(v) for v in request.POST.getlist(name) if v.isdigit()}

    days, errors = {}, []
    for key, value in request.POST.items():
        if key.startswith("days_") and key[5:].isdigit():
            value = value.strip()
            if not value:
                days[int(key[5:])] = None
            elif value.isdigit():
                days[int(key[5:])] = int(value)
            else:
                errors.append(_("“%(value)s” is not a number of days.") % {"value": value})
    if not errors:
        try:
            changed = services.attendance_mark(
                course=course, attended=ids("attended"), certificates=ids("certificate"), days=days, by=request.user
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("Attendance saved (%(n)s changed).") % {"n": changed})
            return redirect(reverse("training:course", args=[course.pk]) + "#participants")
    return _render_course(request, course, attendance_errors=errors, status=400)


# ---------------------------------------------------------------- Excel import of participants


def _session_key(course: Course) -> str:
    return f"training-import-{course.pk}"


def _import_page(request, course: Course, *, form=None, result=None, token: str = "", status: int = 200):
    return render(
        request,
        "training/import.html",
        {
            "course": course,
            "form": form or ImportForm(),
            "result": result,
            "token": token,
            "columns": excel.PARTICIPANTS.columns,
            "rules": excel.PARTICIPANTS.rules,
            "max_mb": settings.IMPORT_MAX_BYTES // (1024 * 1024),
        },
        status=status,
    )


def _failed(message: str, filename: str = "") -> excel.ParticipantImportResult:
    return excel.ParticipantImportResult(filename=filename, errors=[RowError(None, "", message)])


@login_required
@require_GET
def import_template(request, pk: int):
    _require_manage(request.user)
    _course_or_404(request.user, pk)
    return _xlsx(excel.template(), excel.TEMPLATE_FILENAME)


@login_required
@require_http_methods(["GET", "POST"])
def import_check(request, pk: int):
    """Upload a list: every row is checked and the result previewed; nothing is written yet."""
    _require_manage(request.user)
    course = _course_or_404(request.user, pk)
    if request.method == "GET":
        return _import_page(request, course)
    form = ImportForm(request.POST, request.FILES)
    upload = request.FILES.get("file")
    if upload is None:
        return _import_page(request, course, form=form, result=_failed("Chưa chọn tệp để nhập."), status=400)
    try:
        check_size(upload.size, settings.IMPORT_MAX_BYTES)
    except FileProblem as problem:
        return _import_page(request, course, form=form, result=_failed(str(problem), upload.name), status=400)
    result = excel.import_participants(course, upload, by=request.user, filename=upload.name, dry_run=True)
    if not result.ok:
        return _import_page(request, course, form=form, result=result, status=400)
    token = secrets.token_urlsafe(12)
    request.session[_session_key(course)] = {
        "token": token,
        "filename": upload.name,
        "rows": [row.as_dict() for row in result.rows],
    }
    return _import_page(request, course, form=ImportForm(), result=result, token=token)


@login_required
@require_POST
def import_confirm(request, pk: int):
    """Write the previewed rows, all or nothing."""
    _require_manage(request.user)
    course = _course_or_404(request.user, pk)
    kept = request.session.get(_session_key(course))
    if not kept or kept.get("token") != request.POST.get("token"):
        result = _failed("Bản xem trước không còn (đã nhập, hoặc đã tải một tệp khác). Hãy tải tệp lên lại.")
        return _import_page(request, course, result=result, status=400)
    result = excel.import_checked_rows(course, kept["rows"], by=request.user, filename=kept["filename"])
    if not result.ok:
        return _import_page(request, course, result=result, status=400)
    del request.session[_session_key(course)]
    messages.success(request, result.summary())
    return redirect(reverse("training:course", args=[course.pk]) + "#participants")
