/* corroborate's report: filtering and sorting the claims table, and the search page.
   Plain JavaScript, no network: the data comes from search-index.js, loaded by a
   script tag so that it also works from file://. Text from the data is only ever set
   with textContent, never parsed as markup. Pages work without this file. */
(function () {
  "use strict";

  var VERDICT_ORDER = ["true", "mostly-true", "mixed", "mostly-false", "false", "unproven", ""];
  var BALANCE_ORDER = ["supported", "contested", "contradicted", "no-evidence"];
  var MAX_ROWS = 1000;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function badge(kind, word, label) {
    var span = el("span", { "class": "badge " + kind + " " + kind + "-" + (word || "none") });
    span.appendChild(el("span", { "class": "badge-kind" }, kind === "verdict" ? "Verdict" : "Evidence"));
    span.appendChild(document.createTextNode(" " + label));
    return span;
  }

  function sideText(sources, independent) {
    if (!sources) { return "none"; }
    return sources + (sources === 1 ? " source, " : " sources, ") + independent +
      (independent === 1 ? " independent origin" : " independent origins");
  }

  function claimRow(c, labels) {
    var tr = el("tr", { "data-id": c.i });
    var first = el("td");
    first.appendChild(el("a", { href: "claims/" + c.i + ".html" }, c.s));
    if (c.t.length) {
      var ul = el("ul", { "class": "tags" });
      c.t.forEach(function (t) { ul.appendChild(el("li", null, t)); });
      first.appendChild(ul);
    }
    tr.appendChild(first);
    var claimant = el("td");
    if (c.cl) { claimant.appendChild(el("a", { href: "entities/" + c.cl + ".html" }, c.c)); }
    else { claimant.appendChild(el("span", { "class": "meta" }, "not named")); }
    tr.appendChild(claimant);
    var verdict = el("td");
    verdict.appendChild(badge("verdict", c.v, c.v ? labels.verdict[c.v] : "none"));
    tr.appendChild(verdict);
    var balance = el("td");
    balance.appendChild(badge("balance", c.b, labels.balance[c.b]));
    tr.appendChild(balance);
    tr.appendChild(el("td", null, sideText(c.ss, c.si)));
    tr.appendChild(el("td", null, sideText(c.cs, c.cn)));
    return tr;
  }

  function words(text) {
    return String(text || "").toLowerCase().split(/\s+/).filter(Boolean);
  }

  function matchesAll(haystack, query) {
    for (var i = 0; i < query.length; i++) {
      if (haystack.indexOf(query[i]) === -1) { return false; }
    }
    return true;
  }

  // The tags and the entities that claims name, as choices of the filter form: from
  // the index rather than written into every page of it.
  function fillChoices(form, index) {
    // Maps without a prototype: a tag or id such as "__proto__" is data like any other.
    var tags = Object.create(null);
    var named = Object.create(null);
    index.claims.forEach(function (c) {
      c.t.forEach(function (t) { tags[t] = true; });
      c.e.forEach(function (e) { named[e] = true; });
    });
    var tagSelect = form.querySelector("select[name=tag]");
    Object.keys(tags).sort().forEach(function (t) {
      tagSelect.appendChild(el("option", { value: t }, t));
    });
    var names = Object.create(null);
    index.entities.forEach(function (e) { names[e.i] = e.n; });
    var entities = Object.keys(named).map(function (id) {
      return { id: id, name: names[id] || id };
    });
    entities.sort(function (a, b) {
      var x = a.name.toLowerCase(), y = b.name.toLowerCase();
      return x < y ? -1 : x > y ? 1 : (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    });
    var entitySelect = form.querySelector("select[name=entity]");
    entities.forEach(function (e) {
      entitySelect.appendChild(el("option", { value: e.id }, e.name));
    });
  }

  function setupTable(index) {
    var form = document.getElementById("claim-filters");
    var table = document.getElementById("claims-table");
    if (!form || !table || !index) { return; }
    var tbody = table.tBodies[0];
    var status = form.querySelector(".filter-status");
    var sortKey = null;
    var sortDir = 1;
    fillChoices(form, index);
    form.hidden = false;

    var keys = {
      statement: function (c) { return c.s.toLowerCase(); },
      claimant: function (c) { return (c.c || "\uffff").toLowerCase(); },
      verdict: function (c) { return VERDICT_ORDER.indexOf(c.v || ""); },
      balance: function (c) { return BALANCE_ORDER.indexOf(c.b); },
      supports: function (c) { return -c.si; },
      contradicts: function (c) { return -c.cn; }
    };

    function render() {
      var data = new FormData(form);
      var text = words(data.get("text"));
      var balance = data.get("balance");
      var verdict = data.get("verdict");
      var tag = data.get("tag");
      var entity = data.get("entity");
      var filtered = !!(text.length || balance || verdict || tag || entity);
      if (!filtered && !sortKey) { return; }
      var rows = index.claims.filter(function (c) {
        if (balance && c.b !== balance) { return false; }
        if (verdict === "none" && c.v) { return false; }
        if (verdict && verdict !== "none" && c.v !== verdict) { return false; }
        if (tag && c.t.indexOf(tag) === -1) { return false; }
        if (entity && c.e.indexOf(entity) === -1) { return false; }
        return !text.length || matchesAll(c.s.toLowerCase() + " " + (c.c || "").toLowerCase(), text);
      });
      if (sortKey) {
        var key = keys[sortKey];
        rows.sort(function (a, b) {
          var ka = key(a), kb = key(b);
          return (ka < kb ? -1 : ka > kb ? 1 : 0) * sortDir || (a.i < b.i ? -1 : 1);
        });
      }
      var shown = rows.slice(0, MAX_ROWS);
      var fragment = document.createDocumentFragment();
      shown.forEach(function (c) { fragment.appendChild(claimRow(c, index.labels)); });
      tbody.replaceChildren(fragment);
      status.textContent = rows.length + (rows.length === 1 ? " claim matches" : " claims match") +
        (rows.length > shown.length ? "; showing the first " + shown.length + "." : ".");
      var pager = document.querySelector(".pager");
      if (pager) { pager.hidden = true; }
    }

    form.addEventListener("input", render);
    form.addEventListener("submit", function (e) { e.preventDefault(); render(); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      var name = th.getAttribute("data-sort");
      if (!name) { return; }
      var button = el("button", { type: "button" }, th.textContent);
      th.replaceChildren(button);
      button.addEventListener("click", function () {
        sortDir = sortKey === name ? -sortDir : 1;
        sortKey = name;
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", sortDir === 1 ? "ascending" : "descending");
        render();
      });
    });
  }

  function setupSearch(index) {
    var results = document.getElementById("search-results");
    if (!results) { return; }
    var status = document.getElementById("search-status");
    var input = document.getElementById("search-page-q");
    var params = new URLSearchParams(window.location.search);
    var q = params.get("q") || "";
    input.value = q;
    if (!index) { status.textContent = "The search index could not be loaded."; return; }

    function run(query) {
      var terms = words(query);
      results.replaceChildren();
      if (!terms.length) { status.textContent = "Type words to find claims, sources and entities."; return; }
      var found = [];
      index.claims.forEach(function (c) {
        if (matchesAll((c.s + " " + (c.c || "") + " " + c.t.join(" ") + " " + c.i).toLowerCase(), terms)) {
          found.push({ kind: "Claim", href: "claims/" + c.i + ".html", text: c.s, extra: c.c || "" });
        }
      });
      index.sources.forEach(function (s) {
        if (matchesAll((s.t + " " + (s.p || "") + " " + s.i).toLowerCase(), terms)) {
          found.push({ kind: "Source", href: "sources/" + s.i + ".html", text: s.t, extra: s.p || "" });
        }
      });
      index.entities.forEach(function (e) {
        if (matchesAll((e.n + " " + e.a + " " + e.i).toLowerCase(), terms)) {
          found.push({ kind: "Entity", href: "entities/" + e.i + ".html", text: e.n, extra: e.a });
        }
      });
      status.textContent = found.length + (found.length === 1 ? " result" : " results") +
        (found.length > 200 ? "; showing the first 200." : ".");
      found.slice(0, 200).forEach(function (r) {
        var li = el("li");
        li.appendChild(el("span", { "class": "stance" }, r.kind));
        li.appendChild(document.createTextNode(" "));
        li.appendChild(el("a", { href: r.href }, r.text));
        if (r.extra) { li.appendChild(el("span", { "class": "meta" }, " · " + r.extra)); }
        results.appendChild(li);
      });
    }

    document.getElementById("search-page-form").addEventListener("submit", function (e) {
      e.preventDefault();
      run(input.value);
    });
    run(q);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var index = window.CORROBORATE_INDEX;
    setupTable(index);
    setupSearch(index);
    document.documentElement.setAttribute("data-corroborate", "ready");
  });
}());
