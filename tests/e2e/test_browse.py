"""What a historian does: search "Goldman", open Emma Goldman, follow the links to an
organisation and on to one of its members, and check what each page shows.

The corpus gives Emma Goldman no membership of her own, so the way to an organisation goes
through her correspondent Kropotkin (member of Freedom Press).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


def test_a_historian_follows_goldman_to_an_organisation_and_its_members(
    live_server: str, page: Page
) -> None:
    page.goto(live_server + "/")
    expect(page.get_by_role("heading", name="What is in the graph")).to_be_visible()

    # the home page's search box suggests as one types (from /api/search)
    page.get_by_label("Search names, variants and descriptions").fill("Goldman")
    suggestion = page.locator("#suggestions a[href='/id/person/lg-goldman-emma']")
    expect(suggestion).to_be_visible()
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/search\?q=Goldman"))
    page.locator("a[href='/id/person/lg-goldman-emma']").first.click()

    # Emma Goldman: names in every form, dates, collections, sources, citation, RDF
    expect(page).to_have_url(re.compile(r"/id/person/lg-goldman-emma$"))
    expect(page.locator("h1")).to_have_text("Goldman, Emma")
    names = page.locator("ul.names")
    expect(names).to_contain_text("Red Emma")
    expect(names).to_contain_text("Goldman, E.")
    expect(page.locator("dl.dates")).to_contain_text("1869")
    expect(page.locator("aside.cite")).to_contain_text(
        "http://127.0.0.1:5000/id/person/lg-goldman-emma"
    )
    expect(page.locator("section[aria-labelledby=collections-h]")).to_contain_text(
        "Emma Goldman Papers"
    )
    expect(page.locator("section[aria-labelledby=merges-h]")).to_contain_text("Goldman, E.")
    expect(page.locator("a[href='/id/person/lg-goldman-emma.ttl']")).to_have_count(1)
    jsonld = page.locator("script[type='application/ld+json']").text_content() or ""
    assert '"@id":"http://127.0.0.1:5000/id/person/lg-goldman-emma"' in jsonld

    # to a correspondent, and from him to the organisation he was a member of
    page.locator("section.relations a[href='/id/person/lg-kropotkin-petr']").first.click()
    expect(page.locator("h1")).to_contain_text("Kropotkin")
    member_of = page.locator(
        "section.relations", has=page.get_by_role("heading", name=re.compile("^Member of"))
    )
    organisation = member_of.locator("a[href^='/id/organisation/']").first
    name = organisation.text_content()
    organisation.click()

    # the organisation lists its members, each with the record that says so
    expect(page).to_have_url(re.compile(r"/id/organisation/"))
    expect(page.locator("h1")).to_have_text(name or "")
    members = page.locator(
        "section.relations", has=page.get_by_role("heading", name=re.compile("^Members"))
    )
    expect(members.locator("a[href='/id/person/lg-kropotkin-petr']").first).to_be_visible()
    expect(members.locator("td a[href^='/id/record/']").first).to_be_visible()
    members.locator("a[href^='/id/person/']").first.click()
    expect(page).to_have_url(re.compile(r"/id/person/"))
    expect(page.locator("section.relations a[href^='/id/organisation/']").first).to_be_visible()
