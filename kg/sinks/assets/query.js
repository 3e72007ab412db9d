// Query page of `kg serve`: sends the query to /query and shows the results.
// Values come from the store (news text): they are shown with textContent only.
(function () {
  "use strict";
  var MAX_ROWS = 2000;
  var queryEl = document.getElementById("query");
  var statusEl = document.getElementById("status");
  var resultsEl = document.getElementById("results");

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  function cell(term) {
    if (!term) return el("td", "");
    var td = el("td", term.value, term.type === "uri" ? "uri" : null);
    td.dir = "auto";
    if (term["xml:lang"]) td.title = "@" + term["xml:lang"];
    else if (term.datatype) td.title = term.datatype;
    return td;
  }

  function showTable(json) {
    var vars = json.head.vars || [];
    var rows = json.results.bindings;
    var table = el("table");
    var head = el("tr");
    vars.forEach(function (v) { head.appendChild(el("th", "?" + v)); });
    table.appendChild(head);
    rows.slice(0, MAX_ROWS).forEach(function (b) {
      var tr = el("tr");
      vars.forEach(function (v) { tr.appendChild(cell(b[v])); });
      table.appendChild(tr);
    });
    resultsEl.appendChild(table);
    var shown = Math.min(rows.length, MAX_ROWS);
    statusEl.textContent = rows.length + " ردیف" + (shown < rows.length ? " (" + shown + " نمایش داده شد)" : "");
  }

  function run() {
    statusEl.className = "";
    statusEl.textContent = "…";
    resultsEl.textContent = "";
    var body = new URLSearchParams();
    body.set("query", queryEl.value);
    fetch("query", {
      method: "POST",
      body: body,
      headers: { "Accept": "application/sparql-results+json, text/turtle;q=0.9" }
    }).then(function (r) {
      return r.text().then(function (text) { return { r: r, text: text }; });
    }).then(function (x) {
      if (!x.r.ok) {
        statusEl.className = "error";
        statusEl.textContent = x.text;
        return;
      }
      var type = x.r.headers.get("Content-Type") || "";
      if (type.indexOf("json") >= 0) {
        var json = JSON.parse(x.text);
        if (typeof json.boolean === "boolean") statusEl.textContent = json.boolean ? "true" : "false";
        else showTable(json);
      } else {
        resultsEl.appendChild(el("pre", x.text));
        statusEl.textContent = "";
      }
    }).catch(function (err) {
      statusEl.className = "error";
      statusEl.textContent = String(err);
    });
  }

  document.getElementById("run").addEventListener("click", run);
  queryEl.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) run();
  });
})();
