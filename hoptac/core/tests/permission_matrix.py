"""Who gets what from every URL and every API operation: the permission matrix, as data.

``test_permission_matrix.py`` requests every entry as every role in the world of
``matrix_fixtures.py`` and compares the answers; a URL pattern of the site or an operation of
the API's schema without an entry here fails that test.

Roles: ``anonymous``; ``admin`` (the alliance's administrator, made as the demo and
``createsuperuser`` make it); staff of each department (``registry``, ``fund``, ``training``,
``awards``, ``value_chain``, ``office``); ``officer_in`` / ``officer_out``, the area officers
of Tân Yên and Hiệp Hòa; ``coop_own`` / ``coop_other``, the accounts of organisation A and of
organisation B. Every object a URL takes belongs to organisation A (Tân Yên), so for
``officer_out`` it is outside the area and for ``coop_other`` another organisation's; the
``#shared`` variants take records where A and B both appear. Besides the answers, the test checks
that no page that is not public shows A to ``officer_out`` / ``coop_other``, nor B to
``officer_in`` / ``coop_own``, and that public pages show nobody's representative or phone.

Reading a row: ``signed_in(403, admin=OK, awards=OK)`` is anonymous to the sign-in page, the
administrator and the awards department 200, every other account 403; ``seen(…)`` is the same
with 404 for ``officer_out`` and ``coop_other``; groups ``alliance`` (admin and all staff),
``staff``, ``officers`` and ``coops`` set several roles at once. A ``Bug(correct, actual,
reason)`` cell is a security bug found here: the test expects the correct answer, xfail(strict).

The project's conventions, which most rows follow:

- Anonymous: 302 to the sign-in page (``LOGIN``) on every page that is not public; 401 on the
  API's token endpoints (the ``Token`` challenge), also through the session.
- An object the role may not see answers 404, not 403, so its existence is not disclosed (the
  ``*_for(user)`` selectors: registry, fund, awards, returns, courses, surveys, plans…);
  ``seen()`` rows. Something the role sees but may not change answers 403.
- Pages reserved to a department or to the alliance check the role first, before looking the
  object up: there a refused role gets 403 whatever the object (journal, reports, training
  plans, every training and value-chain write).
- A GET on a POST-only view answers 405. POST is requested (with an empty body) on every view
  that writes: a role that may not write gets 403 / 404 / ``LOGIN`` and nothing in the
  database changes; a role that may write gets its form back with errors (200 or 400), 409
  (the returns grid without its revision), or ``REDIRECT`` back to the page with a message.
  ``REDIRECT`` after an empty POST may mean the action needed no field and was done (the
  course marked held, the return approved…): only there may the database change.
"""

from dataclasses import dataclass, field

ROLES = (
    "anonymous",
    "admin",
    "registry",
    "fund",
    "training",
    "awards",
    "value_chain",
    "office",
    "officer_in",
    "officer_out",
    "coop_own",
    "coop_other",
)
DEPARTMENTS = ROLES[2:8]
GROUPS = {
    "alliance": ("admin", *DEPARTMENTS),
    "staff": DEPARTMENTS,
    "officers": ("officer_in", "officer_out"),
    "coops": ("coop_own", "coop_other"),
}

# Answers other than a status code.
OK = 200
LOGIN = "302 to /accounts/login/"
CMS_LOGIN = "302 to the CMS sign-in"
ADMIN_LOGIN = "302 to the Django admin sign-in"
PAGE_LOGIN = "302 to the portal's sign-in for private pages"
REDIRECT = "302 elsewhere"
UNAUTHORIZED = 401


@dataclass(frozen=True)
class Bug:
    """A cell where the product answers wrong today: ``correct`` is what it must answer.

    The test expects the correct answer and is marked xfail(strict=True): it turns red the
    day the bug is fixed, so the mark is removed with the fix.
    """

    correct: object
    actual: object
    reason: str


Row = dict[str, object]


def row(default, **given) -> Row:
    """Every role's answer: default, then groups (alliance, staff, officers, coops), then single roles."""
    cells = dict.fromkeys(ROLES, default)
    for name in GROUPS:
        if name in given:
            cells.update(dict.fromkeys(GROUPS[name], given.pop(name)))
    unknown = set(given) - set(ROLES)
    assert not unknown, f"not roles: {unknown}"
    cells.update(given)
    return cells


def public(answer=OK, **given) -> Row:
    """The same answer for everyone, anonymous included."""
    return row(answer, **given)


def signed_in(answer, **given) -> Row:
    """Anonymous to the sign-in page; every account answer (unless given otherwise)."""
    return row(answer, **{"anonymous": LOGIN, **given})


def seen(answer, **given) -> Row:
    """An object of organisation A: as signed_in, but 404 for those who may not see it."""
    return signed_in(answer, **{"officer_out": 404, "coop_other": 404, **given})


def token(answer, **given) -> Row:
    """An API operation that needs a token: 401 without one."""
    return row(answer, **{"anonymous": UNAUTHORIZED, **given})


def token_seen(answer, **given) -> Row:
    return token(answer, **{"officer_out": 404, "coop_other": 404, **given})


@dataclass(frozen=True)
class Url:
    """One URL pattern (or one variant of it) and the answers to GET and to an empty POST.

    ``url``: the pattern's key (``matrix_fixtures.url_patterns``); arguments ``pk`` / ``kwargs``
    are literals or ``"@name"`` / ``"@name.attribute"`` from the world; ``path`` replaces
    reversing; ``variant`` names a second entry of one pattern (other objects). ``post=None``: not
    requested (the view only reads). ``shows_others``: why this page may show an organisation the
    role does not see (the test checks that the others show none).
    """

    url: str
    get: Row
    post: Row | None = None
    pk: object = None
    kwargs: dict = field(default_factory=dict)
    path: str = ""
    query: str = ""
    variant: str = ""
    shows_others: str = ""

    @property
    def id(self) -> str:
        return f"{self.url}#{self.variant}" if self.variant else self.url


@dataclass(frozen=True)
class Operation:
    """One operation of the API's schema, requested with a token (body ``{}`` for writes)."""

    operation_id: str
    answer: Row
    kwargs: dict = field(default_factory=dict)


# Writes of the returns' owners only (the organisation's own account, the registry, area officers, admins).
RETURN_WRITERS = {"admin": OK, "registry": OK, "officer_in": OK, "coop_own": OK}


URLS = [
    # ---------------------------------------------------------------- the site
    Url("home", public()),
    Url("login", public(), post=public()),
    # The code step without a password typed just before: back to the password.
    Url("login_code", public(LOGIN), post=public(LOGIN)),
    Url("keep_alive", signed_in(204), post=signed_in(405)),
    # One's own two-factor settings (the administrator here has passed the two-factor step: the
    # project's conftest turns the rule off for tests that sign in with force_login).
    Url("twofactor:overview", signed_in(OK)),
    Url("twofactor:enrol", signed_in(OK), post=signed_in(OK)),
    # No new codes to show: back to the overview.
    Url("twofactor:backup_codes", signed_in(REDIRECT)),
    Url("twofactor:renew_backup_codes", signed_in(405), post=signed_in(REDIRECT)),
    Url("twofactor:disable", signed_in(405), post=signed_in(REDIRECT)),
    # Signing out is a POST; the empty POST does sign out (the session goes, nothing else).
    Url("logout", public(405), post=public(REDIRECT)),
    Url("set_language", public(REDIRECT), post=public(REDIRECT)),
    # --- export jobs (issue #9): files made by the worker (hoptac/core/tests/test_export_jobs.py).
    # The empty POST names no kind of file: 400 and no job. A job and its file are its creator's
    # only (403 to any other account); a job that does not exist is 404.
    Url("exports:create", signed_in(405), post=signed_in(400)),
    Url("exports:job", signed_in(404), pk=987654),
    Url("exports:download", signed_in(404), pk=987654),
    # --- end export jobs
    # ---------------------------------------------------------------- registry
    # Every account sees the organisations of its scope (organizations_for): the alliance all,
    # an officer the area's, a cooperative its own; lists, exports and statistics are cut to it.
    Url("registry:list", signed_in(OK)),
    # Import, archive, events, membership: the whole alliance and area officers (can_manage_registry),
    # not only the registry department: the registry is the product's shared record.
    Url("registry:create", signed_in(OK, coops=403), post=signed_in(OK, coops=403)),
    Url("registry:detail", seen(OK), pk="@org_a"),
    # A cooperative edits its own record (its form has only the fields it may change).
    Url("registry:edit", seen(OK), post=seen(OK), pk="@org_a"),
    Url("registry:archive", seen(OK, coop_own=403), post=seen(OK, coop_own=403), pk="@org_a"),
    Url("registry:restore", seen(OK, coop_own=403), post=seen(OK, coop_own=403), pk="@org_a"),
    Url("registry:event_create", seen(OK, coop_own=403), post=seen(OK, coop_own=403), pk="@org_a"),
    # An invalid form goes back to the organisation's page with the errors as messages.
    Url("registry:membership", signed_in(405), post=seen(REDIRECT, coop_own=403), pk="@org_a"),
    Url("registry:export", signed_in(OK)),
    Url("registry:template", signed_in(OK)),
    Url("registry:import", signed_in(OK, coops=403), post=signed_in(OK, coops=403)),
    # --- several servers (issue #9): a background import's page; only the account that uploaded
    # the file sees it (hoptac/registry/tests/test_import_jobs.py): anyone else's job, or none, is 404.
    Url("registry:import_job", signed_in(404, coops=403), pk=987654),
    # --- end several servers
    Url("registry:stats", signed_in(OK)),
    Url("registry:stats_drilldown", signed_in(OK)),
    # ---------------------------------------------------------------- public directory and open data
    Url("directory:list", public()),
    Url("directory:areas", public()),
    Url("directory:statistics", public()),
    Url("directory:open_data", public()),
    Url("directory:download", public(), kwargs={"fmt": "csv"}),
    Url("directory:profile", public(), kwargs={"code": "@org_a.code"}),
    # ---------------------------------------------------------------- fund
    # Loans follow the organisations one sees (loans_for); decisions are the fund's: admin and fund staff.
    Url("fund:home", signed_in(OK)),
    Url("fund:loans", signed_in(OK)),
    # A cooperative applies for its own organisation (so B's account too: the form has no borrower).
    Url("fund:apply", signed_in(403, admin=OK, fund=OK, coops=OK), post=signed_in(403, admin=OK, fund=OK, coops=OK)),
    Url("fund:loan", seen(OK), pk="@loan"),
    # The world's loan is disbursed: the steps before that answer "does not apply" (back to the loan).
    *[
        Url(f"fund:{step}", signed_in(405), post=seen(403, admin=REDIRECT, fund=REDIRECT), pk="@loan")
        for step in ("appraise", "approve", "reject", "contract", "disburse")
    ],
    *[
        Url(f"fund:{step}", signed_in(405), post=seen(403, admin=OK, fund=OK), pk="@loan")
        for step in ("repay", "reschedule", "write_off")
    ],
    # The appraisal is the fund's deliberation: area officers read it, the borrower's account does not.
    Url("fund:attachment", seen(OK, coop_own=404), pk="@appraisal"),
    Url("fund:capital", signed_in(403, alliance=OK), post=signed_in(403, admin=OK, fund=OK)),
    Url("fund:arrears", signed_in(OK)),
    Url("fund:statement", signed_in(OK)),
    Url("fund:import", signed_in(403, admin=OK, fund=OK), post=signed_in(403, admin=OK, fund=OK)),
    *[
        Url(
            f"fund:import_template[book={book}]",
            signed_in(403, admin=OK, fund=OK),
            path=f"/fund/import/{book}/template.xlsx",
        )
        for book in ("capital", "loans", "repayments")
    ],
    # ---------------------------------------------------------------- awards
    # Everyone signed in reads what concerns the organisations they see; admin and the awards department write.
    Url("awards:index", signed_in(REDIRECT)),
    Url("awards:decisions", signed_in(OK)),
    Url("awards:decisions_export", signed_in(OK)),
    Url("awards:decision_create", signed_in(403, admin=OK, awards=OK), post=signed_in(403, admin=OK, awards=OK)),
    Url("awards:decision", seen(OK), pk="@decision"),
    Url("awards:decision_edit", seen(403, admin=OK, awards=OK), post=seen(403, admin=OK, awards=OK), pk="@decision"),
    Url("awards:recipient_add", signed_in(405), post=seen(403, admin=400, awards=400), pk="@decision"),
    Url("awards:recipient_import", seen(403, admin=OK, awards=OK), post=seen(403, admin=OK, awards=OK), pk="@decision"),
    Url("awards:decision_export", seen(OK), pk="@decision"),
    Url("awards:recipient_template", signed_in(403, admin=OK, awards=OK)),
    *[
        Url(
            f"awards:recipient_{verb}",
            seen(403, admin=OK, awards=OK),
            post=seen(403, admin=OK, awards=OK),
            pk="@recipient",
        )
        for verb in ("edit", "archive", "restore")
    ],
    Url("awards:counts", signed_in(OK)),
    Url("awards:counts_export", signed_in(OK)),
    Url("awards:recipients", signed_in(OK)),
    Url("awards:proposals", signed_in(OK)),
    Url("awards:proposals_export", signed_in(OK)),
    Url("awards:proposal_create", signed_in(403, admin=OK, awards=OK), post=signed_in(403, admin=OK, awards=OK)),
    Url("awards:proposal", seen(OK), pk="@proposal"),
    Url("awards:proposal_edit", seen(403, admin=OK, awards=OK), post=seen(403, admin=OK, awards=OK), pk="@proposal"),
    # The file names every nominee, people included: the alliance's staff only, not the nominee's account.
    Url("awards:proposal_file", seen(403, alliance=OK), pk="@proposal"),
    *[
        Url(f"awards:{name}", signed_in(405), post=seen(403, admin=400, awards=400), pk="@proposal")
        for name in ("proposal_submit", "proposal_approve", "proposal_refuse", "proposal_link", "nominee_add")
    ],
    *[
        Url(
            f"awards:nominee_{verb}", seen(403, admin=OK, awards=OK), post=seen(403, admin=OK, awards=OK), pk="@nominee"
        )
        for verb in ("edit", "withdraw", "restore")
    ],
    # Movements are the alliance's calls to every unit: any account reads them.
    Url("awards:movements", signed_in(OK)),
    Url("awards:movement_create", signed_in(403, admin=OK, awards=OK), post=signed_in(403, admin=OK, awards=OK)),
    Url("awards:movement", signed_in(OK), pk="@movement"),
    Url(
        "awards:movement_edit",
        signed_in(403, admin=OK, awards=OK),
        post=signed_in(403, admin=OK, awards=OK),
        pk="@movement",
    ),
    Url("awards:blocs", signed_in(OK)),
    Url("awards:bloc_create", signed_in(403, admin=OK, awards=OK), post=signed_in(403, admin=OK, awards=OK)),
    Url("awards:bloc", seen(OK), pk="@bloc"),
    Url("awards:bloc_edit", seen(403, admin=OK, awards=OK), post=seen(403, admin=OK, awards=OK), pk="@bloc"),
    Url("awards:bloc_member_add", signed_in(405), post=seen(403, admin=400, awards=400), pk="@bloc"),
    # A leads the bloc: its account scores the members (can_score_bloc).
    Url(
        "awards:bloc_scores",
        seen(403, admin=OK, awards=OK, coop_own=OK),
        post=seen(403, admin=OK, awards=OK, coop_own=OK),
        pk="@bloc",
    ),
    Url("awards:bloc_export", seen(OK), pk="@bloc"),
    Url("awards:registrations", signed_in(OK)),
    Url("awards:registrations_export", signed_in(OK)),
    Url("awards:registration_create", signed_in(403, admin=OK, awards=OK), post=signed_in(403, admin=OK, awards=OK)),
    Url("awards:registration", seen(OK), pk="@registration"),
    Url(
        "awards:registration_edit",
        seen(403, admin=OK, awards=OK),
        post=seen(403, admin=OK, awards=OK),
        pk="@registration",
    ),
    # The registered unit's own account assesses itself until the bloc has scored it.
    Url(
        "awards:self_assessment",
        seen(403, admin=OK, awards=OK, coop_own=OK),
        post=seen(403, admin=OK, awards=OK, coop_own=OK),
        pk="@registration",
    ),
    # The picker finds only organisations one sees (the test checks B's account does not find A).
    Url("awards:org_search", signed_in(OK), query="?q=ma+tran"),
    # Shared records: A and B on one decision, proposal, bloc. Everyone opens them, and sees only
    # its own organisation's part (checked in both directions).
    Url("awards:decision", signed_in(OK), pk="@shared_decision", variant="shared"),
    Url("awards:decision_export", signed_in(OK), pk="@shared_decision", variant="shared"),
    Url("awards:proposal", signed_in(OK), pk="@shared_proposal", variant="shared"),
    *[
        Url(
            f"awards:{name}",
            signed_in(OK),
            pk="@shared_bloc",
            variant="shared",
            shows_others="a bloc's members are ranked together: each sees the others' names and scores",
        )
        for name in ("bloc", "bloc_export")
    ],
    # ---------------------------------------------------------------- journal
    # The alliance's own journal and documents: every alliance account reads and writes them, nobody else.
    Url("journal:index", signed_in(403, alliance=OK)),
    Url("journal:export", signed_in(403, alliance=OK)),
    Url("journal:entry_create", signed_in(403, alliance=OK), post=signed_in(403, alliance=OK)),
    Url("journal:entry", signed_in(403, alliance=OK), pk="@journal_entry"),
    Url("journal:entry_edit", signed_in(403, alliance=OK), post=signed_in(403, alliance=OK), pk="@journal_entry"),
    *[
        Url(f"journal:entry_{verb}", signed_in(405), post=signed_in(403, alliance=400), pk="@journal_entry")
        for verb in ("archive", "restore")
    ],
    Url("journal:documents", signed_in(403, alliance=OK)),
    Url("journal:document_create", signed_in(403, alliance=OK), post=signed_in(403, alliance=OK)),
    Url("journal:document", signed_in(403, alliance=OK), pk="@document"),
    Url("journal:document_edit", signed_in(403, alliance=OK), post=signed_in(403, alliance=OK), pk="@document"),
    *[
        Url(f"journal:document_{verb}", signed_in(405), post=signed_in(403, alliance=400), pk="@document")
        for verb in ("submit", "approve", "archive", "restore")
    ],
    Url("journal:document_file", signed_in(403, alliance=OK), pk="@document"),
    # ---------------------------------------------------------------- training
    # Plans are the alliance's papers; courses are seen by those whose organisations sent people;
    # admin and the training department write, and writes check that before looking anything up.
    Url("training:index", signed_in(OK)),
    Url("training:plans", signed_in(403, alliance=OK)),
    Url("training:plan_create", signed_in(403, admin=OK, training=OK), post=signed_in(403, admin=OK, training=OK)),
    Url("training:plan", signed_in(403, alliance=OK), pk="@training_plan"),
    Url(
        "training:plan_edit",
        signed_in(403, admin=OK, training=OK),
        post=signed_in(403, admin=OK, training=OK),
        pk="@training_plan",
    ),
    Url("training:plan_issue", signed_in(405), post=signed_in(403, admin=400, training=400), pk="@training_plan"),
    Url("training:plan_export", signed_in(403, alliance=OK), pk="@training_plan"),
    Url(
        "training:planned_add",
        signed_in(403, admin=OK, training=OK),
        post=signed_in(403, admin=OK, training=OK),
        pk="@training_plan",
    ),
    Url(
        "training:planned_edit",
        signed_in(403, admin=OK, training=OK),
        post=signed_in(403, admin=OK, training=OK),
        kwargs={"pk": "@training_plan", "planned_pk": "@planned_course"},
    ),
    Url("training:courses", signed_in(OK)),
    Url("training:course_create", signed_in(403, admin=OK, training=OK), post=signed_in(403, admin=OK, training=OK)),
    Url("training:course", seen(OK), pk="@course"),
    Url(
        "training:course_edit",
        signed_in(403, admin=OK, training=OK),
        post=signed_in(403, admin=OK, training=OK),
        pk="@course",
    ),
    # Marking a course held needs no field: the empty POST does it.
    Url("training:course_held", signed_in(405), post=signed_in(403, admin=REDIRECT, training=REDIRECT), pk="@course"),
    Url(
        "training:course_cancel",
        signed_in(403, admin=OK, training=OK),
        post=signed_in(403, admin=OK, training=OK),
        pk="@course",
    ),
    Url("training:course_export", seen(OK), pk="@course"),
    # A's and B's people on one course: each organisation's account and officer sees its own people only.
    Url("training:course", signed_in(OK), pk="@shared_course", variant="shared"),
    Url("training:course_export", signed_in(OK), pk="@shared_course", variant="shared"),
    Url("training:participant_add", signed_in(405), post=signed_in(403, admin=400, training=400), pk="@course"),
    Url("training:attendance", signed_in(405), post=signed_in(403, admin=REDIRECT, training=REDIRECT), pk="@course"),
    Url(
        "training:import",
        signed_in(403, admin=OK, training=OK),
        post=signed_in(403, admin=400, training=400),
        pk="@course",
    ),
    Url("training:import_confirm", signed_in(405), post=signed_in(403, admin=400, training=400), pk="@course"),
    Url("training:import_template", signed_in(403, admin=OK, training=OK), pk="@course"),
    *[
        Url(
            f"training:participant_{verb}",
            signed_in(403, admin=OK, training=OK),
            post=signed_in(403, admin=OK, training=OK),
            pk="@participant",
        )
        for verb in ("edit", "archive", "restore")
    ],
    # ---------------------------------------------------------------- value chains
    # Read by those who see the surveyed organisation; written by admin and the value-chain department,
    # who are checked before the record is looked up.
    Url("valuechain:index", signed_in(OK)),
    Url("valuechain:programmes", signed_in(OK)),
    Url("valuechain:surveys", signed_in(OK)),
    Url("valuechain:plans", signed_in(OK)),
    Url("valuechain:programme", seen(OK), pk="@programme"),
    Url("valuechain:ranking_export", seen(OK), pk="@programme"),
    Url("valuechain:survey", seen(OK), pk="@survey"),
    Url("valuechain:survey_export", seen(OK), pk="@survey"),
    Url("valuechain:plan", seen(OK), pk="@vc_plan"),
    # A and B surveyed in one programme: each sees the programme and its own survey only.
    Url("valuechain:programme", signed_in(OK), pk="@shared_programme", variant="shared"),
    Url("valuechain:ranking_export", signed_in(OK), pk="@shared_programme", variant="shared"),
    *[
        Url(
            f"valuechain:{name}",
            signed_in(403, admin=OK, value_chain=OK),
            post=signed_in(403, admin=OK, value_chain=OK),
            pk=obj,
        )
        for name, obj in (
            ("programme_create", None),
            ("programme_edit", "@programme"),
            ("programme_archive", "@programme"),
            ("programme_restore", "@programme"),
            ("criterion_create", "@programme"),
            ("survey_create", "@programme"),
            ("selection", "@programme"),
            ("criterion_edit", "@criterion"),
            ("criterion_archive", "@criterion"),
            ("criterion_restore", "@criterion"),
            ("survey_edit", "@survey"),
            ("survey_answers", "@survey"),
            ("survey_reopen", "@survey"),
            ("survey_archive", "@survey"),
            ("survey_restore", "@survey"),
            ("plan_create", "@selection"),
            ("plan_edit", "@vc_plan"),
            ("plan_archive", "@vc_plan"),
            ("plan_restore", "@vc_plan"),
            ("activity_create", "@vc_plan"),
            ("product_create", "@vc_plan"),
            ("activity_edit", "@activity"),
            ("activity_archive", "@activity"),
            ("activity_restore", "@activity"),
            ("product_edit", "@product"),
            ("product_archive", "@product"),
            ("product_restore", "@product"),
        )
    ],
    # Status moves: POST only; the empty one goes back to the page with a message.
    *[
        Url(
            f"valuechain:{name}",
            signed_in(405),
            post=signed_in(403, admin=REDIRECT, value_chain=REDIRECT),
            pk=obj,
        )
        for name, obj in (
            ("programme_status", "@programme"),
            ("survey_start", "@survey"),
            ("survey_done", "@survey"),
            ("plan_status", "@vc_plan"),
            ("activity_status", "@activity"),
        )
    ],
    # ---------------------------------------------------------------- reports (briefing)
    # Every alliance account reads the reports, drafts included; the office and admin write them.
    Url("briefing:index", signed_in(403, alliance=OK)),
    Url("briefing:create", signed_in(403, admin=OK, office=OK), post=signed_in(403, admin=OK, office=OK)),
    # The Word template is the administrator's alone.
    Url("briefing:word_template", signed_in(403, admin=OK), post=signed_in(403, admin=OK)),
    Url("briefing:detail", signed_in(403, alliance=OK), pk="@draft_report"),
    Url("briefing:edit", signed_in(405), post=signed_in(403, admin=400, office=400), pk="@draft_report"),
    # Recomposing needs no field: the empty POST rewrites the draft from the data.
    Url("briefing:recompose", signed_in(405), post=signed_in(403, admin=REDIRECT, office=REDIRECT), pk="@draft_report"),
    Url("briefing:issue", signed_in(405), post=signed_in(403, admin=400, office=400), pk="@draft_report"),
    Url("briefing:publish", signed_in(405), post=signed_in(403, admin=REDIRECT, office=REDIRECT), pk="@draft_report"),
    Url("briefing:archive", signed_in(405), post=signed_in(403, admin=REDIRECT, office=REDIRECT), pk="@draft_report"),
    Url("briefing:download", signed_in(403, alliance=OK), kwargs={"pk": "@draft_report", "fmt": "html"}),
    # ---------------------------------------------------------------- returns
    # Every alliance account sees every return, officers their area's, cooperatives their own;
    # filling and reviewing: the organisation's account, area officers, registry staff and admin.
    Url("returns:index", signed_in(OK)),
    # Without a form to go to, the index comes back with the error.
    Url("returns:goto", signed_in(400, coops=403)),
    Url("returns:detail", seen(OK), pk="@submitted_return"),
    # Those who may not edit the draft are sent to its page; the empty POST lacks the revision (409).
    Url(
        "returns:entry",
        seen(REDIRECT, **RETURN_WRITERS),
        post=seen(403, **dict.fromkeys(RETURN_WRITERS, 409)),
        pk="@draft_return",
    ),
    Url(
        "returns:send_back",
        signed_in(405),
        post=seen(403, admin=400, registry=400, officer_in=400),
        pk="@submitted_return",
    ),
    # Approving needs no field: the empty POST approves.
    Url(
        "returns:approve",
        signed_in(405),
        post=seen(403, admin=REDIRECT, registry=REDIRECT, officer_in=REDIRECT),
        pk="@submitted_return",
    ),
    # Only an administrator reopens an approved return.
    Url("returns:reopen", seen(403, admin=OK), post=seen(403, admin=OK), pk="@approved_return"),
    *[
        Url(f"returns:{name}", signed_in(OK, coops=403), kwargs={"form": "annual_htx", "period": "2020"})
        for name in ("list", "completeness", "completeness_xlsx")
    ],
    Url(
        "returns:template",
        signed_in(403, admin=OK, registry=OK, officers=OK),
        kwargs={"form": "annual_htx", "period": "2020"},
    ),
    Url(
        "returns:import",
        signed_in(403, admin=OK, registry=OK, officers=OK),
        post=signed_in(403, admin=OK, registry=OK, officers=OK),
        kwargs={"form": "annual_htx", "period": "2020"},
    ),
    # The alliance's own quarterly return: registry staff and admin; the empty POST opens its draft.
    Url(
        "returns:fill_alliance",
        signed_in(403, admin=OK, registry=OK),
        post=signed_in(403, admin=REDIRECT, registry=REDIRECT),
        kwargs={"form": "alliance_quarterly", "period": "2021Q1"},
    ),
    # A's return for 2021 is not started: the empty POST opens its draft.
    Url(
        "returns:fill",
        seen(403, **RETURN_WRITERS),
        post=seen(403, **dict.fromkeys(RETURN_WRITERS, REDIRECT)),
        kwargs={"form": "annual_htx", "period": "2021", "org": "@org_a"},
    ),
    # ---------------------------------------------------------------- statistics from returns
    # Figures over the organisations one sees; not for cooperatives (one organisation is not a statistic).
    Url("analytics:index", signed_in(OK, coops=403)),
    # 2018: A's and B's approved returns are in the cell (the test checks each officer sees only its own).
    Url("analytics:cell", signed_in(OK, coops=403), query="?form=annual_htx&period=2018"),
    Url("analytics:grades", signed_in(OK, coops=403)),
    Url("analytics:grades_cell", signed_in(OK, coops=403), query="?year=2020"),
    # ---------------------------------------------------------------- published reports (public)
    Url("public_reports:list", public()),
    Url("public_reports:detail", public(), pk="@published_report"),
    Url("public_reports:file", public(), kwargs={"pk": "@published_report", "fmt": "pdf"}),
    # ---------------------------------------------------------------- API pages and endpoints through the session
    # The endpoints take the session too; their writes are requested with JSON bodies in API_OPERATIONS.
    Url("api:schema", public()),
    Url("api:docs", public()),
    Url("api:tokens", signed_in(OK), post=signed_in(OK)),
    # The token is A's account's: its owner and an administrator revoke it (the empty reason is allowed).
    Url(
        "api:token_revoke",
        signed_in(405),
        post=signed_in(404, admin=REDIRECT, coop_own=REDIRECT),
        pk="@token",
    ),
    Url("api:directory", public()),
    Url("api:directory_detail", public(), kwargs={"code": "@org_a.code"}),
    Url("api:statistics", public()),
    Url("api:reports", public()),
    Url("api:units", public()),
    Url("api:me", token(OK)),
    Url("api:organizations", token(OK)),
    Url("api:organization_statistics", token(OK)),
    Url("api:organization", token_seen(OK), pk="@org_a"),
    Url("api:events", token_seen(OK), pk="@org_a"),
    Url("api:loans", token(OK)),
    Url("api:loan", token_seen(OK), pk="@loan"),
    Url("api:returns", token(OK)),
    Url("api:return_forms", token(OK)),
    Url("api:return", token_seen(OK), pk="@draft_return"),
    Url("api:return_submit", token(405), pk="@draft_return"),
    Url("<unnamed> api/v1/^.*$", public(404), post=public(404), path="/api/v1/khong-co/"),
    # ---------------------------------------------------------------- portal
    Url("portal:search", public(), query="?q=hoi+nghi"),
    Url("portal:news", public(REDIRECT)),
    Url("portal:rss", public()),
    Url("portal:atom", public()),
    Url("portal:visits", signed_in(403, alliance=OK)),
    Url("sitemap", public()),
    Url("portal_image", public(), kwargs={"path": "@image_path"}),
    # Only Wagtail's image folders: a path climbing out of them is refused.
    Url(
        "portal_image",
        public(404),
        kwargs={"path": "original_images/../briefing/bao-cao-01-2021.pdf"},
        variant="outside",
    ),
    # Wagtail's public side: pages, attachments, the password forms of restricted ones.
    Url("wagtail_serve", public(), path="@article_path"),
    # A page restricted to signed-in people: anonymous to the portal's sign-in, any account reads it.
    Url("wagtail_serve", public(OK, anonymous=PAGE_LOGIN), path="@private_article_path", variant="private"),
    # Wagtail's own sign-in for private pages hands over to the product's (the only one that asks
    # for the two-factor code): anonymous to it, a signed-in account to the home page.
    Url("wagtailcore_login", public(REDIRECT, anonymous=LOGIN), post=public(REDIRECT, anonymous=LOGIN)),
    Url(
        "wagtailcore_authenticate_with_password",
        public(),
        post=public(),
        kwargs={"page_view_restriction_id": "@page_password", "page_id": "@secret_article"},
    ),
    Url("wagtaildocs_serve", public(), path="@document_path"),
    Url(
        "wagtaildocs_authenticate_with_password",
        public(),
        post=public(),
        kwargs={"restriction_id": "@collection_password"},
    ),
]


# ---------------------------------------------------------------- the CMS and the Django admin, by rule

# Every URL under /cms/ (Wagtail's admin, 177 patterns) and /admin/ (Django's, 114) follows one rule
# each; a sample of their index pages is requested (see CMS_SAMPLE / ADMIN_SAMPLE in the test).
RULES = {
    # Wagtail lets in accounts with "access_admin": the administrator (kept in the portal's
    # administrators group) and staff an administrator made editors or reviewers (none here).
    # Others go to the CMS's sign-in; officers and cooperatives are refused outright
    # (PortalMiddleware), whatever their groups say.
    "cms/": signed_in(CMS_LOGIN, anonymous=CMS_LOGIN, admin=OK, officers=403, coops=403),
    # Django's admin: is_staff accounts only, that is the administrator.
    "admin/": signed_in(ADMIN_LOGIN, anonymous=ADMIN_LOGIN, admin=OK),
}
# Sampled pages that answer otherwise than their rule says, and why.
RULE_EXCEPTIONS = {
    # No snippet model is registered: Wagtail sends the administrator to the dashboard.
    "wagtailsnippets:index": {"admin": REDIRECT},
}


# The portal's editorial roles: staff of the office an administrator put in "Biên tập viên"
# (editor) or "Người duyệt" (reviewer). Outside the CMS they answer as their department does.
# In it they reach the dashboard, the pages, pictures and attachments; the sections kept for
# administrators (users, groups, sites, collections, workflows, snippets) send them back to the
# dashboard with Wagtail's "no permission" message. Django's admin is not theirs.
PORTAL_ROLES = ("editor", "reviewer")
PORTAL_ROLE_SAMPLE = {
    "wagtailadmin_home": OK,
    "wagtailadmin_explore_root": OK,
    "wagtailimages:index": OK,
    "wagtaildocs:index": OK,
    "wagtailadmin_collections:index": REDIRECT,
    "wagtailadmin_workflows:index": REDIRECT,
    "wagtailsites:index": REDIRECT,
    "wagtailsnippets:index": REDIRECT,
    "wagtailusers_groups:index": REDIRECT,
    "wagtailusers_users:index": REDIRECT,
    "admin:index": ADMIN_LOGIN,
}
# On a published article: both edit it; only the reviewer publishes; neither deletes it.
PORTAL_ROLE_PAGE_ACTIONS = {
    "edit": {"editor": OK, "reviewer": OK},
    "publish": {"editor": "not live", "reviewer": "live"},
    "delete": {"editor": REDIRECT, "reviewer": REDIRECT},
}


# ---------------------------------------------------------------- the API, by token

# Through a token, an account sees and changes what it sees and changes in the pages; something
# it may not see answers 404, something it sees but may not change 403 (hoptac/api/views.py).
# The write operations get the body {}: a refused role must get 401/403/404, and a role that may
# write gets 400 (the body is incomplete).

# Staff of these departments may not open, change or submit any return (returns.selectors.can_fill).
NOT_RETURN_FILERS = [name for name in DEPARTMENTS if name != "registry"]
API_OPERATIONS = [
    Operation("directory_list", public()),
    Operation("directory_retrieve", public(), {"code": "@org_a.code"}),
    Operation("statistics_retrieve", public()),
    Operation("reports_list", public()),
    Operation("units_list", public()),
    Operation("me_retrieve", token(OK)),
    Operation("organizations_list", token(OK)),
    Operation("organizations_statistics_retrieve", token(OK)),
    Operation("organizations_create", token(400, coops=403)),
    Operation("organizations_retrieve", token_seen(OK), {"id": "@org_a"}),
    # Every alliance account and the area's officer edit the record; A's account its own fields.
    Operation("organizations_partial_update", token_seen(400), {"id": "@org_a"}),
    Operation("organizations_events_list", token_seen(OK), {"id": "@org_a"}),
    Operation("organizations_events_create", token_seen(400, coop_own=403), {"id": "@org_a"}),
    Operation("loans_list", token(OK)),
    Operation("loans_retrieve", token_seen(OK), {"id": "@loan"}),
    Operation("returns_forms_list", token(OK)),
    Operation("returns_list", token(OK)),
    # Who may open a return depends on the form and organisation in the body: {} is incomplete for
    # those who may open some; those who may open none must be refused as such.
    Operation(
        "returns_create",
        token(400, **dict.fromkeys(NOT_RETURN_FILERS, 403)),
    ),
    Operation("returns_retrieve", token_seen(OK), {"id": "@draft_return"}),
    Operation(
        "returns_partial_update",
        token_seen(400, **dict.fromkeys(NOT_RETURN_FILERS, 403)),
        {"id": "@draft_return"},
    ),
    Operation(
        "returns_submit_create",
        token_seen(403, admin=400, registry=400, officer_in=400, coop_own=400),
        {"id": "@draft_return"},
    ),
]
