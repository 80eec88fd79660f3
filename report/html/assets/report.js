// reuse HTML report: sortable, filterable, paginated tables; passage
// navigation (j/k, n/p); linked passages on pair pages. No network, no eval.
(function () {
  "use strict";
  var $$ = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };

  // ---- tables ----
  function setupTable(table) {
    var tbody = table.tBodies[0];
    if (!tbody) return;
    var rows = $$("tr", tbody);
    var size = parseInt(table.getAttribute("data-page-size") || "0", 10);
    var state = { page: 0, shown: rows };
    var pager = null;
    var count = document.querySelector('[data-count="' + table.id + '"]');
    if (size > 0 && rows.length > size) {
      pager = document.createElement("nav");
      pager.className = "pager";
      pager.setAttribute("aria-label", "Table pages");
      pager.innerHTML = '<button type="button" data-p="-1">‹ Previous</button><span aria-live="polite"></span><button type="button" data-p="1">Next ›</button>';
      var wrap = table.parentNode.classList.contains("tablewrap") ? table.parentNode : table;
      wrap.parentNode.insertBefore(pager, wrap.nextSibling);
      pager.addEventListener("click", function (e) {
        var d = e.target.getAttribute && e.target.getAttribute("data-p");
        if (!d) return;
        state.page += parseInt(d, 10);
        render();
      });
    }
    function render() {
      var shownSet = state.shown;
      var pages = size > 0 ? Math.max(1, Math.ceil(shownSet.length / size)) : 1;
      state.page = Math.max(0, Math.min(state.page, pages - 1));
      var lo = size > 0 ? state.page * size : 0, hi = size > 0 ? lo + size : shownSet.length;
      var visible = new Set(shownSet.slice(lo, hi));
      rows.forEach(function (r) { r.hidden = !visible.has(r); });
      if (pager) {
        pager.children[0].disabled = state.page === 0;
        pager.children[2].disabled = state.page >= pages - 1;
        pager.children[1].textContent = shownSet.length ? (lo + 1) + "–" + Math.min(hi, shownSet.length) + " of " + shownSet.length : "none";
      }
      if (count) count.textContent = shownSet.length === rows.length ? rows.length + " rows" : shownSet.length + " of " + rows.length + " rows";
    }
    $$("thead th", table).forEach(function (th, col) {
      var btn = th.querySelector("button");
      if (!btn) return;
      btn.addEventListener("click", function () {
        var num = th.getAttribute("data-type") === "num";
        var dir = th.getAttribute("aria-sort") === "descending" ? 1 : (th.getAttribute("aria-sort") === "ascending" ? -1 : (num ? -1 : 1));
        $$("thead th", table).forEach(function (o) { o.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
        var key = function (r) {
          var c = r.cells[col];
          if (!c) return num ? 0 : "";
          if (num) { var v = parseFloat(c.getAttribute("data-v")); return isNaN(v) ? 0 : v; }
          return c.textContent.trim().toLowerCase();
        };
        var keyed = rows.map(function (r, i) { return [key(r), i, r]; });
        keyed.sort(function (a, b) { return a[0] < b[0] ? -dir : a[0] > b[0] ? dir : a[1] - b[1]; });
        rows = keyed.map(function (k) { return k[2]; });
        var frag = document.createDocumentFragment();
        rows.forEach(function (r) { frag.appendChild(r); });
        tbody.appendChild(frag);
        applyFilter();
      });
    });
    var input = document.querySelector('input[data-filter="' + table.id + '"]');
    function applyFilter() {
      var q = input ? input.value.trim().toLowerCase() : "";
      state.shown = q ? rows.filter(function (r) { return r.textContent.toLowerCase().indexOf(q) >= 0; }) : rows;
      render();
    }
    if (input) input.addEventListener("input", function () { state.page = 0; applyFilter(); });
    applyFilter();
    table.classList.add("js");
  }
  $$("table.sortable").forEach(setupTable);

  // ---- passage navigation ----
  var isPair = document.body.classList.contains("k-pair");
  var items = isPair ? $$("#side-a mark.pg.first[id], #side-a .anchor[id]") : $$("[data-nav]");
  if (!isPair && !items.length) items = $$("mark.hl.first");
  if (isPair) {
    items.sort(function (a, b) { return parseInt(a.id.slice(1), 10) - parseInt(b.id.slice(1), 10); });
  }
  var status = document.querySelector("[data-nav-status]");
  var cur = -1;

  // scrollWithin scrolls el into the middle of its scrolling column, if any,
  // else into the window.
  function scrollWithin(el) {
    var box = el.closest(".scroll");
    if (box) {
      var r = el.getBoundingClientRect(), b = box.getBoundingClientRect();
      box.scrollTop += (r.top - b.top) - box.clientHeight / 3;
      var br = box.getBoundingClientRect();
      if (br.bottom < 0 || br.top > window.innerHeight) box.scrollIntoView({ block: "nearest" });
    } else {
      el.scrollIntoView({ block: "center" });
    }
  }
  function setActive(ids) {
    $$("mark.active").forEach(function (m) { m.classList.remove("active"); });
    $$(".occ.current").forEach(function (m) { m.classList.remove("current"); });
    // every stretch of a passage names its partner: data-to="b3" is on A's side of passage 3
    ids.forEach(function (id) {
      $$('mark.pg[data-to="' + id + '"]').forEach(function (m) { m.classList.add("active"); });
    });
  }
  function mark(id) { return document.getElementById(id); }
  // showPair shows passage n on both sides; from is the side clicked (its
  // column is left where it is), or "" to scroll both.
  function showPair(n, from) {
    var a = mark("a" + n), b = mark("b" + n);
    if (a && from !== "a") scrollWithin(a);
    if (b && from !== "b") scrollWithin(b);
    setActive(["a" + n, "b" + n]);
    for (var i = 0; i < items.length; i++) if (items[i].id === "a" + n) cur = i;
    say();
  }
  function say() {
    if (status && cur >= 0) status.textContent = (cur + 1) + " of " + items.length;
  }
  function go(step) {
    if (!items.length) return;
    cur = cur < 0 ? (step > 0 ? 0 : items.length - 1) : (cur + step + items.length) % items.length;
    var el = items[cur];
    if (isPair) { showPair(el.id.slice(1), ""); focusIn(el); return; }
    scrollWithin(el);
    setActive([]);
    if (el.tagName === "MARK") el.classList.add("active"); else el.classList.add("current");
    focusIn(el);
    say();
  }
  function focusIn(el) {
    var f = el.matches("a, [tabindex]") ? el : el.querySelector("a.n, a");
    if (!f) { el.setAttribute("tabindex", "-1"); f = el; }
    f.focus({ preventScroll: true });
  }
  $$("[data-go]").forEach(function (b) {
    b.addEventListener("click", function () { go(b.getAttribute("data-go") === "next" ? 1 : -1); });
  });
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable)) return;
    if (e.key === "j" || e.key === "n") { go(1); e.preventDefault(); }
    else if (e.key === "k" || e.key === "p") { go(-1); e.preventDefault(); }
  });
  say();

  // ---- linked passages on pair pages ----
  if (isPair) {
    document.addEventListener("click", function (e) {
      var t = e.target;
      if (!t.closest) return;
      var pg = t.closest("a[data-pg]");
      if (pg) { e.preventDefault(); showPair(pg.getAttribute("data-pg"), ""); return; }
      var m = t.closest("mark.pg");
      if (!m) return;
      var to = m.getAttribute("data-to");
      if (!to) return;
      e.preventDefault();
      var side = to[0] === "a" ? "b" : "a";
      showPair(to.slice(1), side);
    });
    var h = location.hash.slice(1);
    if (/^[ab]\d+$/.test(h)) {
      window.requestAnimationFrame(function () { showPair(h.slice(1), ""); if (mark(h)) focusIn(mark(h)); });
    }
  }
})();
