/* corroborate's report: filtering and sorting the claims table, and the search page.
   Plain JavaScript, nothing from the network but the site's own files. The index is in
   search/, cut into chunks: search/meta.js says which chunk holds which words, and a
   query loads only the chunks it needs, each by a script tag so that this also works
   from file://. Text from the data is only ever set with textContent, never parsed as
   markup. Pages work without this file. */
(function () {
  "use strict";

  // Results shown at a time. The records a query finds are spread over the whole
  // archive, so each shown result costs a chunk of records to load: few at a time.
  var SHOWN_RESULTS = 25;
  var SHOWN_ROWS = 50;
  var MAX_CHUNKS = 32;  // chunks of words one word of a query may load
  var me = document.currentScript;
  var base = me && me.src ? me.src.replace(/corroborate\.js(?:[?#].*)?$/, "") : "";
  // Chunks store themselves here; a map without a prototype, like every map of data.
  var chunks = window.CORROBORATE_CHUNKS = window.CORROBORATE_CHUNKS || Object.create(null);
  var loading = Object.create(null);

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function busy() { document.documentElement.setAttribute("data-corroborate", "busy"); }
  function ready() { document.documentElement.setAttribute("data-corroborate", "ready"); }

  // One chunk of the index, loaded once.
  function load(name) {
    if (!loading[name]) {
      loading[name] = new Promise(function (resolve, reject) {
        if (chunks[name] !== undefined) { resolve(chunks[name]); return; }
        var tag = document.createElement("script");
        tag.src = base + "search/" + name + ".js";
        tag.async = true;
        tag.onload = function () {
          if (chunks[name] === undefined) { reject(new Error(name)); } else { resolve(chunks[name]); }
        };
        tag.onerror = function () { delete loading[name]; reject(new Error(name)); };
        document.head.appendChild(tag);
      });
    }
    return loading[name];
  }

  // The words of a query, cut as search.rs cuts the records' text: NFC, lower case
  // (the dot of a lowered "İ" dropped), runs of letters and digits; Chinese and
  // Japanese text, which has no spaces, by character pairs (or the one character). A
  // word of two letters or more also finds the longer words it begins.
  var CJK = /[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2fa1f}]/u;
  var WORD = /[\p{Alphabetic}\p{N}]/u;
  function queryTerms(text) {
    var folded = String(text || "").normalize("NFC").toLowerCase().replace(/i\u0307/g, "i");
    var out = [], seen = Object.create(null), word = "", run = [];
    function add(t, prefix) {
      if (!seen[t]) { seen[t] = true; out.push({ t: t, prefix: prefix }); }
    }
    function endWord() {
      if (word) { add(word, Array.from(word).length > 1); word = ""; }
    }
    function endRun() {
      if (run.length === 1) { add(run[0], false); }
      for (var i = 1; i < run.length; i++) { add(run[i - 1] + run[i], false); }
      run = [];
    }
    Array.from(folded).forEach(function (c) {
      if (CJK.test(c)) { endWord(); run.push(c); }
      else if (WORD.test(c)) { endRun(); word += c; }
      else { endWord(); endRun(); }
    });
    endWord();
    endRun();
    return out;
  }

  // The chunks that can hold a word (and, for a prefix, the words it begins): the one
  // whose first word is the last not after it, and those after it that begin with it.
  function chunksFor(meta, q) {
    var firsts = meta.terms;
    if (!firsts.length) { return []; }
    var lo = 0, hi = firsts.length - 1, at = 0;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (firsts[mid] <= q.t) { at = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    var list = [at];
    if (q.prefix) {
      for (var i = at + 1; i < firsts.length && firsts[i].lastIndexOf(q.t, 0) === 0 && list.length < MAX_CHUNKS; i++) {
        list.push(i);
      }
    }
    return list;
  }

  function eachNumber(list, fn) {
    var n = 0;
    list.split(",").forEach(function (d) { n += parseInt(d, 36); fn(n); });
  }

  // The numbers, in order, of the records below `total` that match every word.
  function find(meta, terms, total) {
    var names = [];
    terms.forEach(function (q) {
      q.chunks = chunksFor(meta, q);
      q.chunks.forEach(function (i) { names.push("t" + i); });
    });
    return Promise.all(names.map(load)).then(function () {
      var hits = null;
      terms.forEach(function (q) {
        var mine = new Uint8Array(total);
        q.chunks.forEach(function (i) {
          chunks["t" + i].forEach(function (entry) {
            var term = entry[0];
            if (term === q.t || (q.prefix && term.lastIndexOf(q.t, 0) === 0)) {
              eachNumber(entry[1], function (n) { if (n < total) { mine[n] = 1; } });
            }
          });
        });
        if (hits) {
          for (var k = 0; k < total; k++) { hits[k] &= mine[k]; }
        } else {
          hits = mine;
        }
      });
      var found = [];
      for (var k = 0; k < total; k++) { if (hits[k]) { found.push(k); } }
      return found;
    });
  }

  // What results show of the records numbered `numbers`, in that order.
  function records(meta, numbers) {
    var names = [];
    numbers.forEach(function (n) { names.push("d" + Math.floor(n / meta.docs)); });
    return Promise.all(names.map(load)).then(function () {
      return numbers.map(function (n) { return chunks["d" + Math.floor(n / meta.docs)][n % meta.docs]; });
    });
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

  // A claim: [id, statement, claimant's name, claimant's id, balance, verdict, tags,
  // [supporting sources, their origins, contradicting sources, their origins]].
  function claimRow(c, labels) {
    var tr = el("tr", { "data-id": c[0] });
    var first = el("td");
    first.appendChild(el("a", { href: "claims/" + c[0] + ".html" }, c[1]));
    if (c[6].length) {
      var ul = el("ul", { "class": "tags" });
      c[6].forEach(function (t) { ul.appendChild(el("li", null, t)); });
      first.appendChild(ul);
    }
    tr.appendChild(first);
    var claimant = el("td");
    if (c[3]) { claimant.appendChild(el("a", { href: "entities/" + c[3] + ".html" }, c[2])); }
    else { claimant.appendChild(el("span", { "class": "meta" }, "not named")); }
    tr.appendChild(claimant);
    var verdict = el("td");
    verdict.appendChild(badge("verdict", c[5], c[5] ? labels.verdict[c[5]] : "none"));
    tr.appendChild(verdict);
    var balance = el("td");
    balance.appendChild(badge("balance", c[4], labels.balance[c[4]]));
    tr.appendChild(balance);
    tr.appendChild(el("td", null, sideText(c[7][0], c[7][1])));
    tr.appendChild(el("td", null, sideText(c[7][2], c[7][3])));
    return tr;
  }

  // Shows `found` `size` at a time: `add` appends the records of one batch, and a
  // button after `after` offers the next.
  function paged(meta, found, size, after, add, say) {
    var button = el("button", { type: "button", "class": "more-results" });
    button.hidden = true;
    after.parentNode.insertBefore(button, after.nextSibling);
    var shown = 0;
    function next() {
      var batch = found.slice(shown, shown + size);
      busy();
      return records(meta, batch).then(function (list) {
        add(list, batch);
        shown += batch.length;
        say(shown);
        button.hidden = shown >= found.length;
        button.textContent = "Show " + Math.min(size, found.length - shown) + " more";
      });
    }
    button.addEventListener("click", function () {
      next().catch(function () { say(shown, true); }).then(ready);
    });
    return { next: next, remove: function () { button.remove(); } };
  }

  function fillChoices(form, choices) {
    var tagSelect = form.querySelector("select[name=tag]");
    choices.tags.forEach(function (t) { tagSelect.appendChild(el("option", { value: t }, t)); });
    var entitySelect = form.querySelector("select[name=entity]");
    choices.entities.forEach(function (e) { entitySelect.appendChild(el("option", { value: e[0] }, e[1])); });
  }

  function setupTable(meta, choices) {
    var form = document.getElementById("claim-filters");
    var table = document.getElementById("claims-table");
    if (!form || !table || !meta || !choices) { return; }
    var tbody = table.tBodies[0];
    var status = form.querySelector(".filter-status");
    var sortKey = null;
    var sortDir = 1;
    var current = 0;
    var pages = null;
    var ranks = Object.create(null);
    // The rows of this page as built, shown again when no filter or sort is left.
    var original = Array.prototype.slice.call(tbody.rows);
    var pager = document.querySelector(".pager");
    fillChoices(form, choices);
    form.hidden = false;

    function rankOf(key) {
      if (ranks[key]) { return Promise.resolve(ranks[key]); }
      return load("o-" + key).then(function (list) {
        ranks[key] = Int32Array.from(list.split(","), function (d) { return parseInt(d, 36); });
        return ranks[key];
      });
    }

    function render() {
      var data = new FormData(form);
      var terms = queryTerms(data.get("text"));
      var facets = [];
      var balance = data.get("balance"), verdict = data.get("verdict");
      var tag = data.get("tag"), entity = data.get("entity");
      if (balance) { facets.push(":b:" + balance); }
      if (verdict) { facets.push(verdict === "none" ? ":n" : ":v:" + verdict); }
      if (tag) { facets.push(":t:" + tag); }
      if (entity) { facets.push(":e:" + entity); }
      terms = terms.concat(facets.map(function (t) { return { t: t, prefix: false }; }));
      var mine = ++current;
      if (!terms.length && !sortKey) {
        if (pages) { pages.remove(); pages = null; }
        tbody.replaceChildren.apply(tbody, original);
        status.textContent = "";
        if (pager) { pager.hidden = false; }
        return;
      }
      busy();
      var all = [];
      if (!terms.length) { for (var n = 0; n < meta.claims; n++) { all.push(n); } }
      var found = terms.length ? find(meta, terms, meta.claims) : Promise.resolve(all);
      found.then(function (rows) {
        if (!sortKey) { return rows; }
        var dir = sortDir;
        return rankOf(sortKey).then(function (rank) {
          // Stable: claims that rank alike stay in the order of their ids.
          return rows.sort(function (a, b) { return (rank[a] - rank[b]) * dir; });
        });
      }).then(function (rows) {
        if (mine !== current) { return; }
        if (pages) { pages.remove(); }
        tbody.replaceChildren();
        var count = rows.length + (rows.length === 1 ? " claim matches" : " claims match");
        pages = paged(meta, rows, SHOWN_ROWS, table.parentNode, function (list) {
          if (mine !== current) { return; }
          var fragment = document.createDocumentFragment();
          list.forEach(function (c) { fragment.appendChild(claimRow(c, meta.labels)); });
          tbody.appendChild(fragment);
        }, function (shown, failed) {
          status.textContent = failed ? "The index could not be loaded." :
            count + (rows.length > shown ? "; showing the first " + shown + "." : ".");
        });
        if (pager) { pager.hidden = true; }
        return pages.next();
      }).catch(function () {
        if (mine === current) { status.textContent = "The index could not be loaded."; }
      }).then(function () {
        if (mine === current) { ready(); }
      });
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

  function setupSearch(meta) {
    var results = document.getElementById("search-results");
    if (!results) { return; }
    var status = document.getElementById("search-status");
    var input = document.getElementById("search-page-q");
    var params = new URLSearchParams(window.location.search);
    var q = params.get("q") || "";
    var current = 0;
    var pages = null;
    input.value = q;
    if (!meta) { status.textContent = "The search index could not be loaded."; return; }
    var total = meta.claims + meta.sources + meta.entities;

    // A claim, a source ([id, title, publisher]) or an entity ([id, name, aliases]).
    function item(r, n) {
      var kind, href, text, extra;
      if (n < meta.claims) {
        kind = "Claim"; href = "claims/" + r[0] + ".html"; text = r[1]; extra = r[2] || "";
      } else if (n < meta.claims + meta.sources) {
        kind = "Source"; href = "sources/" + r[0] + ".html"; text = r[1]; extra = r[2] || "";
      } else {
        kind = "Entity"; href = "entities/" + r[0] + ".html"; text = r[1]; extra = r[2];
      }
      var li = el("li");
      li.appendChild(el("span", { "class": "stance" }, kind));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("a", { href: href }, text));
      if (extra) { li.appendChild(el("span", { "class": "meta" }, " · " + extra)); }
      return li;
    }

    function run(query) {
      var terms = queryTerms(query);
      var mine = ++current;
      results.replaceChildren();
      if (pages) { pages.remove(); pages = null; }
      if (!terms.length) {
        status.textContent = "Type words to find claims, sources and entities.";
        ready();
        return;
      }
      busy();
      status.textContent = "Searching…";
      find(meta, terms, total).then(function (found) {
        if (mine !== current) { return; }
        var count = found.length + (found.length === 1 ? " result" : " results");
        pages = paged(meta, found, SHOWN_RESULTS, results, function (list, numbers) {
          if (mine !== current) { return; }
          list.forEach(function (r, i) { results.appendChild(item(r, numbers[i])); });
        }, function (shown, failed) {
          status.textContent = failed ? "The search index could not be loaded." :
            count + (found.length > shown ? "; showing the first " + shown + "." : ".");
        });
        return pages.next();
      }).catch(function () {
        if (mine === current) { status.textContent = "The search index could not be loaded."; }
      }).then(function () {
        if (mine === current) { ready(); }
      });
    }

    document.getElementById("search-page-form").addEventListener("submit", function (e) {
      e.preventDefault();
      run(input.value);
    });
    run(q);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var meta = window.CORROBORATE_SEARCH;
    setupTable(meta, window.CORROBORATE_CHOICES);
    setupSearch(meta);
    if (document.documentElement.getAttribute("data-corroborate") !== "busy") { ready(); }
  });
}());
