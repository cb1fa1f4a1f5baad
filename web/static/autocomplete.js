// Suggestions under the home page's search box, from /api/search?q= (JSON {"results": [...]}).
// Each suggestion links to the entity's page by path, so it works at any host and port.
(function () {
  "use strict";
  const input = document.getElementById("q");
  const list = document.getElementById("suggestions");
  if (!input || !list) return;
  let timer = null;
  let latest = 0;

  function pathOf(iri) {
    const at = iri.lastIndexOf("/id/");
    return at >= 0 ? iri.slice(at) : iri;
  }

  function show(results) {
    list.replaceChildren();
    for (const r of results.slice(0, 8)) {
      const li = document.createElement("li");
      li.setAttribute("role", "option");
      const a = document.createElement("a");
      a.href = pathOf(r.iri);
      a.textContent = r.label;  // textContent: names are data, never markup
      const kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = " " + r.kind;
      a.append(kind);
      li.append(a);
      list.append(li);
    }
    list.hidden = results.length === 0;
    input.setAttribute("aria-expanded", String(results.length > 0));
  }

  async function suggest() {
    const q = input.value.trim();
    const ticket = ++latest;
    if (q.length < 2) { show([]); return; }
    try {
      const response = await fetch(input.dataset.api + "?q=" + encodeURIComponent(q));
      if (!response.ok || ticket !== latest) return;
      const data = await response.json();
      if (ticket === latest) show(data.results || []);
    } catch (e) {
      show([]);
    }
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(suggest, 120);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && !list.hidden) {
      const first = list.querySelector("a");
      if (first) { event.preventDefault(); first.focus(); }
    } else if (event.key === "Escape") {
      show([]);
    }
  });
  list.addEventListener("keydown", function (event) {
    const links = Array.from(list.querySelectorAll("a"));
    const at = links.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && at < links.length - 1) { event.preventDefault(); links[at + 1].focus(); }
    if (event.key === "ArrowUp") { event.preventDefault(); (at > 0 ? links[at - 1] : input).focus(); }
    if (event.key === "Escape") { show([]); input.focus(); }
  });
})();
