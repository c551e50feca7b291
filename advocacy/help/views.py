"""Help library views: the library (filters, search, pages), a resource, the page every
outside link goes through, the grounding exercise; staff add, change and remove resources."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from advocacy import clock, i18n
from advocacy.domain import attempt, keyset_cursor, page_cursor, saved, utc_timestamp
from advocacy.events.finding import is_manager
from advocacy.events.forms import LANGUAGES, ConfirmForm
from advocacy.help import forms, services
from advocacy.help.models import Resource
from advocacy.once import once
from advocacy.security import role_required

bp = Blueprint("help", __name__)
STAFF = ("staff", "admin")


@bp.app_context_processor
def help_labels() -> dict:
    return {"help_categories": forms.CATEGORY_LABELS, "help_languages": LANGUAGES}


def signed_in() -> bool:
    return current_user.is_authenticated


def load(resource_id: int) -> Resource:
    """Return a resource the reader may see, or 404."""
    try:
        return services.readable(resource_id, signed_in=signed_in())
    except services.ResourceNotFound:
        abort(404)


def load_any(resource_id: int) -> Resource:
    """Return any resource (staff pages), or 404."""
    try:
        return services.get(resource_id)
    except services.ResourceNotFound:
        abort(404)


def page(template: str, **context) -> tuple[str, int]:
    """Render a form's page: 200 when first shown, 400 when it was sent and refused."""
    return render_template(template, **context), (400 if request.method == "POST" else 200)


@bp.get("/help")
def index() -> tuple[str, int]:
    """The library: crisis lines, the grounding exercise, filters and search, one page of
    resources (a refused filter: the page again with its message, 400, and no list)."""
    form = forms.LibraryFilters(request.args)
    form.offer_areas(services.areas(signed_in=signed_in()))
    listed, next_cursor = [], None
    valid = form.validate()
    if valid:
        rows = services.library_page(
            form.filters(),
            signed_in=signed_in(),
            before=keyset_cursor(request.args.get("before", ""), utc_timestamp),
        )
        listed = rows[: services.PAGE_SIZE]
        if len(rows) > services.PAGE_SIZE:
            next_cursor = f"{listed[-1].updated_at.isoformat()}_{listed[-1].id}"
    return render_template(
        "help/index.html",
        form=form,
        listed=listed,
        next_cursor=next_cursor,
        searched=bool(form.chosen()),
        manager=is_manager(current_user),
        own_language=own_language(form),
    ), (200 if valid else 400)


def own_language(form: forms.LibraryFilters) -> str | None:
    """The page's language, when resources can be written in it, it is not the site's
    first language (in which most are) and no language is chosen yet: the library offers
    to show only those (a Spanish reader found the Spanish guide among many in English)."""
    page = i18n.locale_name()
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if page == default or page not in LANGUAGES or form.language.data:
        return None
    return page


@bp.get("/help/grounding")
def grounding() -> str:
    """A grounding exercise: slow breathing, then 5-4-3-2-1 (no JavaScript needed)."""
    return render_template("help/grounding.html")


@bp.get("/help/<int:resource_id>")
def show(resource_id: int) -> str:
    """One resource: its text, and its outside link (through the leaving page)."""
    resource = load(resource_id)
    return render_template(
        "help/show.html",
        resource=resource,
        html=services.body_html(resource),
        host=urlsplit(resource.outside_url).hostname,
        manager=is_manager(current_user),
    )


@bp.get("/help/<int:resource_id>/leave")
def leave(resource_id: int) -> str:
    """Before an outside link: it leaves the site, and quick exit can't follow. The link
    is the resource's own (no ?link=) or the n-th link of its text (?link=n); 404 for any
    other value."""
    resource = load(resource_id)
    raw = request.args.get("link")
    number = None if raw is None else page_cursor(raw)
    if raw is not None and number is None:
        abort(404)
    address = services.leaving_to(resource, number)
    if address is None:
        abort(404)
    return render_template(
        "help/leave.html", resource=resource, address=address, host=urlsplit(address).hostname
    )


@bp.route("/help/new", methods=["GET", "POST"])
@role_required(*STAFF)
@once(then="help.index")
def new():
    """Add a resource."""
    form = forms.ResourceForm()
    if form.validate_on_submit():
        resource = saved(
            form,
            "title",
            lambda: services.create(form.details(), now=clock.now()),
            success=_l("The resource is in the library."),
        )
        if resource:
            return redirect(url_for("help.show", resource_id=resource.id), 303)
    return page("help/form.html", form=form, resource=None, action=url_for("help.new"))


@bp.route("/help/<int:resource_id>/edit", methods=["GET", "POST"])
@role_required(*STAFF)
def edit(resource_id: int):
    """Change a resource (saving it says it was checked today)."""
    resource = load_any(resource_id)
    # Filled from the resource only when first shown: a form sent with fields missing is
    # refused, never completed from what is stored (an unticked box would turn visitors off).
    form = forms.ResourceForm(obj=resource if request.method == "GET" else None)
    if form.validate_on_submit() and saved(
        form,
        "title",
        lambda: services.update(resource_id, form.details(), now=clock.now()),
        success=_l("The resource is saved."),
    ):
        return redirect(url_for("help.show", resource_id=resource_id), 303)
    return page(
        "help/form.html",
        form=form,
        resource=resource,
        action=url_for("help.edit", resource_id=resource_id),
    )


@bp.route("/help/<int:resource_id>/remove", methods=["GET", "POST"])
@role_required(*STAFF)
def remove(resource_id: int) -> BaseResponse | tuple[str, int]:
    """Remove a resource, once confirmed with the page's button."""
    resource = load_any(resource_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        title = resource.title
        attempt(
            lambda: services.remove(resource_id),
            success=_l("“%(title)s” is no longer in the library.", title=title),
        )
        return redirect(url_for("help.index"), 303)
    return page("help/remove.html", form=form, resource=resource)
