from django.urls import path

from .views import decisions, emulation, imports, picker, proposals

app_name = "awards"
urlpatterns = [
    path("", decisions.index, name="index"),
    # decisions and their recipients
    path("decisions/", decisions.decision_list, name="decisions"),
    path("decisions/export.xlsx", decisions.decision_list_export, name="decisions_export"),
    path("decisions/new/", decisions.decision_create, name="decision_create"),
    path("decisions/<int:pk>/", decisions.decision_detail, name="decision"),
    path("decisions/<int:pk>/edit/", decisions.decision_edit, name="decision_edit"),
    path("decisions/<int:pk>/recipients/", decisions.recipient_add, name="recipient_add"),
    path("decisions/<int:pk>/import/", imports.recipient_import, name="recipient_import"),
    path("decisions/<int:pk>/export.xlsx", decisions.decision_export, name="decision_export"),
    path("recipients/template.xlsx", imports.recipient_template, name="recipient_template"),
    path("recipients/<int:pk>/edit/", decisions.recipient_edit, name="recipient_edit"),
    path("recipients/<int:pk>/archive/", decisions.recipient_archive, name="recipient_archive"),
    path("recipients/<int:pk>/restore/", decisions.recipient_restore, name="recipient_restore"),
    # counts
    path("counts/", decisions.counts, name="counts"),
    path("counts/export.xlsx", decisions.counts_export, name="counts_export"),
    path("counts/recipients/", decisions.recipients, name="recipients"),
    # proposals
    path("proposals/", proposals.proposal_list, name="proposals"),
    path("proposals/export.xlsx", proposals.proposal_list_export, name="proposals_export"),
    path("proposals/new/", proposals.proposal_create, name="proposal_create"),
    path("proposals/<int:pk>/", proposals.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/edit/", proposals.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/file/", proposals.proposal_file, name="proposal_file"),
    path("proposals/<int:pk>/submit/", proposals.proposal_submit, name="proposal_submit"),
    path("proposals/<int:pk>/approve/", proposals.proposal_approve, name="proposal_approve"),
    path("proposals/<int:pk>/refuse/", proposals.proposal_refuse, name="proposal_refuse"),
    path("proposals/<int:pk>/link/", proposals.proposal_link, name="proposal_link"),
    path("proposals/<int:pk>/nominees/", proposals.nominee_add, name="nominee_add"),
    path("nominees/<int:pk>/edit/", proposals.nominee_edit, name="nominee_edit"),
    path("nominees/<int:pk>/withdraw/", proposals.nominee_withdraw, name="nominee_withdraw"),
    path("nominees/<int:pk>/restore/", proposals.nominee_restore, name="nominee_restore"),
    # movements, blocs, registrations
    path("movements/", emulation.movement_list, name="movements"),
    path("movements/new/", emulation.movement_create, name="movement_create"),
    path("movements/<int:pk>/", emulation.movement_detail, name="movement"),
    path("movements/<int:pk>/edit/", emulation.movement_edit, name="movement_edit"),
    path("blocs/", emulation.bloc_list, name="blocs"),
    path("blocs/new/", emulation.bloc_create, name="bloc_create"),
    path("blocs/<int:pk>/", emulation.bloc_detail, name="bloc"),
    path("blocs/<int:pk>/edit/", emulation.bloc_edit, name="bloc_edit"),
    path("blocs/<int:pk>/members/", emulation.bloc_member_add, name="bloc_member_add"),
    path("blocs/<int:pk>/scores/", emulation.bloc_scores, name="bloc_scores"),
    path("blocs/<int:pk>/export.xlsx", emulation.bloc_export, name="bloc_export"),
    path("registrations/", emulation.registration_list, name="registrations"),
    path("registrations/export.xlsx", emulation.registration_list_export, name="registrations_export"),
    path("registrations/new/", emulation.registration_create, name="registration_create"),
    path("registrations/<int:pk>/", emulation.registration_detail, name="registration"),
    path("registrations/<int:pk>/edit/", emulation.registration_edit, name="registration_edit"),
    path("registrations/<int:pk>/self-assessment/", emulation.registration_self_assess, name="self_assessment"),
    # the organisation picker's search
    path("organisations/search/", picker.org_search, name="org_search"),
]
