// factlang: sortable, filterable fact tables (the tables work without this script).
(function () {
  "use strict";
  function key(cell) {
    var marked = cell.querySelector("[data-value]");
    if (marked) {
      var n = parseFloat(marked.getAttribute("data-value"));
      if (!isNaN(n)) { return n; }
    }
    return cell.textContent.trim().toLowerCase();
  }
  function compare(a, b) {
    if (typeof a === "number" && typeof b === "number") { return a - b; }
    return String(a).localeCompare(String(b), undefined, {numeric: true});
  }
  function enhance(marker) {
    if (marker.getAttribute("data-ready")) { return; }
    var next = marker.nextElementSibling;
    var table = next && (next.tagName === "TABLE" ? next : next.querySelector("table"));
    if (!table || !table.tBodies.length) { return; }
    marker.setAttribute("data-ready", "1");
    table.setAttribute("data-factlang-sortable", "");  // a class would lose the theme's table style
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, column) {
      th.tabIndex = 0;
      th.setAttribute("role", "button");
      function sort() {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        rows.slice().sort(function (r, s) {
          var c = compare(key(r.cells[column]), key(s.cells[column]));
          return ascending ? c : -c;
        }).forEach(function (row) { body.appendChild(row); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); }
      });
    });
    var input = document.createElement("input");
    input.type = "search";
    input.placeholder = "Filter " + rows.length + " rows\u2026";
    input.setAttribute("aria-label", "Filter the table");
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      rows.forEach(function (row) {
        var text = row.textContent.toLowerCase();
        row.hidden = !words.every(function (w) { return text.indexOf(w) >= 0; });
      });
    });
    marker.appendChild(input);
  }
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".factlang-filter"), enhance);
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);  // mkdocs-material instant navigation
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
