// Page logic of graph.html (see kg/sinks/html.py). Everything shown comes
// from the JSON block #kg-data and is put on the page with textContent or as
// canvas text, never as HTML: labels and sentences come from news articles.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var container = document.getElementById("kg-network");
  var statusEl = document.getElementById("kg-status");

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  // vis-network shows a string `title` as markup in some versions; an element
  // built here with textContent is shown as is.
  function tooltip(lines) {
    var box = el("div", "kg-tip");
    lines.forEach(function (line) {
      var row = el("div", line[0] === "sentence" ? "kg-tip-sentence" : "kg-tip-row");
      row.dir = "auto";
      if (line[1]) row.appendChild(el("span", "kg-tip-key", line[1]));
      row.appendChild(el("span", "kg-tip-val", line[2]));
      box.appendChild(row);
    });
    return box;
  }

  data.nodes.forEach(function (n) { n.title = tooltip(n.tip); delete n.tip; });
  data.edges.forEach(function (e) { e.title = tooltip(e.tip); delete e.tip; });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);

  // Legend: one entry per node type present, with its count.
  var legend = document.getElementById("kg-legend");
  data.types.forEach(function (t) {
    var item = el("span", "kg-legend-item");
    var sw = el("span", "kg-swatch kg-shape-" + t.shape);
    sw.style.backgroundColor = t.color;
    item.appendChild(sw);
    item.appendChild(el("span", null, t.fa + " (" + t.count + ")"));
    item.title = t.en;
    legend.appendChild(item);
  });

  // Filter: a person or an agency and what lies within two steps of it
  // (a person's claims, posts and agencies; an agency's units, people, claims).
  var adjacency = {};
  data.nodes.forEach(function (n) { adjacency[n.id] = []; });
  data.edges.forEach(function (e) {
    adjacency[e.from].push(e.to);
    adjacency[e.to].push(e.from);
  });
  var select = document.getElementById("kg-filter");
  data.filter.forEach(function (f) {
    var opt = el("option", null, f[1]);
    opt.value = String(f[0]);
    select.appendChild(opt);
  });
  if (!data.filter.length) select.disabled = true;

  function neighbourhood(start, depth) {
    var seen = {};
    seen[start] = true;
    var frontier = [start];
    for (var d = 0; d < depth; d++) {
      var next = [];
      frontier.forEach(function (id) {
        adjacency[id].forEach(function (m) {
          if (!seen[m]) { seen[m] = true; next.push(m); }
        });
      });
      frontier = next;
    }
    return seen;
  }

  function applyFilter() {
    var value = select.value;
    var keep = value === "" ? null : neighbourhood(Number(value), 2);
    nodes.update(data.nodes.map(function (n) {
      return { id: n.id, hidden: keep !== null && !keep[n.id] };
    }));
    if (keep === null) network.fit({ animation: false });
    else network.fit({ nodes: Object.keys(keep).map(Number), animation: false });
  }
  select.addEventListener("change", applyFilter);

  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  window.kgNetwork = network;

  function summary() {
    var fa = function (n) { return n.toLocaleString("fa-IR"); };
    var text = fa(data.counts.nodes) + " گره، " + fa(data.counts.edges) + " یال";
    if (data.counts.total_nodes > data.counts.nodes) {
      text += " (پرارتباط‌ترین‌ها از " + fa(data.counts.total_nodes) + " گره)";
    }
    return text;
  }

  // Physics only lays the graph out: once it has settled it is switched off,
  // so large graphs stay responsive and nodes stay where the user drags them.
  function ready() {
    network.setOptions({ physics: { enabled: false } });
    statusEl.textContent = summary();
    document.body.setAttribute("data-kg-state", "ready");
  }
  network.on("stabilizationProgress", function (p) {
    statusEl.textContent = "در حال چیدمان… " + Math.round((100 * p.iterations) / p.total) + "٪";
  });
  network.once("stabilizationIterationsDone", ready);
  if (!data.nodes.length) ready();
})();
