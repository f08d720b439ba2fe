"""Pages of the two-sector rule: changes awaiting approval (public: the forum and anyone
can see what is proposed and who approved it), answering one, proposing a role grant, the
register of who holds which role, and one's own roles."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from tripartite.core.errors import InvalidInput, ServiceError
from tripartite.forums.edit_views import EditPage, SeeOther, handle, posted, staff_only
from tripartite.forums.models import Forum

from . import joint_services
from .joint import answerable_sectors, sector_label
from .models import ApprovalPosition, ChangeState, JointChange, RoleGrant
from .roles import SCOPE_TYPE, Role


def change_list(request: HttpRequest) -> HttpResponse:
    """Every joint change, pending first; ``?forum=<key>`` narrows to one forum."""
    changes = JointChange.objects.select_related("forum")
    forum = None
    if request.GET.get("forum"):
        forum = get_object_or_404(Forum, key=request.GET["forum"])
        changes = changes.filter(forum=forum)
    # Two bounded queries: the decided ones are history and may grow without end.
    pending = list(changes.filter(state=ChangeState.PENDING))
    decided = list(changes.exclude(state=ChangeState.PENDING)[:100])
    return render(
        request,
        "accounts/changes/list.html",
        {"pending": pending, "decided": decided, "forum": forum},
    )


class AnswerForm(forms.Form):
    position = forms.ChoiceField(
        label=gettext_lazy("Your sector's answer"),
        choices=ApprovalPosition.choices,
        widget=forms.RadioSelect,
    )
    statement = forms.CharField(
        label=gettext_lazy("Statement (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Shown on the record with your answer."),
    )


def change_json(change: JointChange) -> dict[str, Any]:
    return {**change.to_record(), "version": change.version}


@require_http_methods(["GET", "POST"])
def change_detail(request: HttpRequest, key: str) -> HttpResponse:
    """A change, its approvals, and (for a representative whose sector must still answer)
    the form to approve or reject it; the proposer may withdraw it."""
    change = get_object_or_404(JointChange.objects.select_related("forum"), key=key, version__gt=0)
    if request.path.endswith(".json"):
        return JsonResponse(change_json(change))
    user = request.user
    sectors = answerable_sectors(user, change) if user.is_authenticated else []
    form = AnswerForm(posted(request) if request.POST.get("action") == "answer" else None)
    status, error_message = 200, ""
    if request.method == "POST":
        if not user.is_authenticated:
            return SeeOther(reverse("login") + f"?next={request.path}")
        try:
            if request.POST.get("action") == "withdraw":
                joint_services.withdraw_change(user, change)
                messages.success(request, _("The change is withdrawn."))
                return SeeOther(change.get_absolute_url())
            if form.is_valid():
                joint_services.answer_change(
                    user,
                    change,
                    position=form.cleaned_data["position"],
                    statement=form.cleaned_data["statement"],
                )
                change.refresh_from_db()
                messages.success(request, _answered_message(change))
                return SeeOther(change.get_absolute_url())
            status = 422
        except ServiceError as error:
            status, error_message = error.status, error.message
    return render(
        request,
        "accounts/changes/detail.html",
        {
            "change": change,
            "approvals": list(change.approvals.all()),
            "required": [
                (s, sector_label(s), s in change.approved_sectors()) for s in change.required
            ],
            "sectors": [sector_label(s) for s in sectors],
            "form": form,
            "may_withdraw": user.is_authenticated
            and change.proposer_id == user.pk
            and change.state == ChangeState.PENDING,
            "error_message": error_message,
        },
        status=status,
    )


def _answered_message(change: JointChange) -> str:
    if change.state == ChangeState.APPLIED:
        return _("Approved: the change has taken effect.")
    if change.state == ChangeState.REJECTED:
        return _("Rejected: the change will not take effect.")
    return _("Your approval is recorded. Still needed: %(sectors)s.") % {
        "sectors": ", ".join(sector_label(s) for s in change.missing_sectors())
    }


# ---------------------------------------------------------------- roles


def role_register(request: HttpRequest) -> HttpResponse:
    """Who holds which editing role, on what record: public, names only."""
    grants = RoleGrant.objects.filter(ended_at__isnull=True).order_by("role", "scope")
    return render(request, "accounts/changes/roles.html", {"grants": grants})


class RoleProposalForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("E-mail address of the account"),
        help_text=gettext_lazy("Invite the person first if they have no account yet."),
    )
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)
    scope = forms.CharField(
        label=gettext_lazy("Record the role is bound to"),
        required=False,
        help_text=gettext_lazy(
            "The public id of a forum (forum/…) for the secretariat, of a seat (seat/…) for a "
            "sector representative, of a member (member/…) for a point of contact or IRM "
            "researcher, of a Steering Committee seat (scseat/…) for its member; blank for "
            "the site operator and Support Unit staff."
        ),
    )
    ending = forms.BooleanField(
        label=gettext_lazy("End this role instead of granting it"), required=False
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


@staff_only
def propose_role(request: HttpRequest) -> HttpResponse:
    """Propose granting (or ending) a role; it takes effect with joint approval."""
    form = RoleProposalForm(posted(request))

    def perform() -> tuple[str, str]:
        data = form.cleaned_data
        grantee = get_user_model().objects.filter(email__iexact=data["email"]).first()
        if grantee is None:
            message = _("No account has this address.")
            raise InvalidInput(message, {"email": [message]})
        change = joint_services.propose_change(
            request.user,
            operation="end_role" if data["ending"] else "grant_role",
            target=data["scope"].strip().strip("/"),
            role=data["role"],
            grantee=grantee,
            reason=data["reason"],
        )
        return change.get_absolute_url(), _(
            "The role change is proposed. It takes effect once these approve it: %(sectors)s."
        ) % {"sectors": ", ".join(sector_label(s) for s in change.missing_sectors())}

    page = EditPage(
        title=_("Propose a role change"),
        back=(reverse("role-register"), _("Roles")),
        submit=_("Propose"),
        intro=_(
            "Roles are bound to the records they concern. A grant takes effect only when "
            "representatives of the forum's sectors (or both Steering Committee "
            "constituencies, for site-wide roles) approve it."
        ),
    )
    return handle(request, page, form, perform)


@login_required
@require_http_methods(["GET", "POST"])
def my_roles(request: HttpRequest) -> HttpResponse:
    """The signed-in account's roles; each can be resigned at once."""
    if request.method == "POST":
        grant = get_object_or_404(
            RoleGrant, pk=request.POST.get("grant", 0), user=request.user, ended_at__isnull=True
        )
        joint_services.resign_role(request.user, grant)
        messages.success(request, _("You no longer hold this role."))
        return SeeOther(reverse("accounts-roles"))
    grants = RoleGrant.objects.filter(user_id=int(request.user.pk or 0), ended_at__isnull=True)
    return render(
        request, "accounts/changes/my_roles.html", {"grants": grants, "scope_types": SCOPE_TYPE}
    )
