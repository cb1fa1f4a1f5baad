// The /sparql editor: YASGUI (vendored), wired to this endpoint, with the ontology's prefixes
// declared, the example queries one click away and a notice when an answer was capped.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("sparql-config").textContent);
  const endpoint = new URL(document.location.pathname, document.location.href).href;
  const notice = document.getElementById("truncated-notice");

  function prologue() {
    return Object.entries(config.prefixes)
      .map(([prefix, iri]) => `PREFIX ${prefix}: <${iri}>`)
      .join("\n");
  }

  function withPrologue(text) {
    // the examples carry their own PREFIX lines; a bare query gets the ontology's
    return /^\s*(#.*\n\s*)*(PREFIX|BASE)\b/i.test(text) ? text : `${prologue()}\n\n${text}`;
  }

  const start = config.query || (config.examples[0] ? config.examples[0].text
    : `${prologue()}\n\nSELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type } GROUP BY ?type ORDER BY DESC(?n)`);

  Yasgui.Yasqe.defaults.value = start;
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }] },
    // results show IRIs with the ontology's prefixes too (xsd:gYear, not the full IRI)
    yasr: { prefixes: config.prefixes },
    persistenceId: null,
    populateFromUrl: true,
  });

  const watched = new WeakSet();
  function watch(tab) {
    const yasqe = tab.getYasqe();
    if (!yasqe || watched.has(yasqe)) return;
    watched.add(yasqe);
    yasqe.on("queryResponse", (_yasqe, response) => {
      const cut = response && response.headers && response.headers.get("X-Labourgraph-Truncated");
      const limit = cut && response.headers.get("X-Labourgraph-Result-Limit");
      notice.hidden = !cut;
      notice.textContent = cut
        ? `Only the first ${limit} results are shown: this endpoint caps every answer at ${limit} rows. Add a LIMIT/OFFSET or narrow the query to see the rest.`
        : "";
    });
    yasqe.on("queryBefore", () => { notice.hidden = true; });
  }
  watch(yasgui.getTab());
  yasgui.on("tabSelect", (_y, id) => setTimeout(() => watch(yasgui.getTab(id)), 0));
  yasgui.on("tabAdd", (_y, id) => setTimeout(() => watch(yasgui.getTab(id)), 0));

  if (config.query) {
    yasgui.getTab().setQuery(withPrologue(config.query));
  }

  document.getElementById("examples").addEventListener("click", (event) => {
    const link = event.target.closest("a[data-example]");
    if (!link) return;
    event.preventDefault();
    const example = config.examples.find((e) => e.name === link.dataset.example);
    const tab = yasgui.getTab();
    tab.setQuery(example.text);
    tab.query();
  });
})();
