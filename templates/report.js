// Filters for the findings and a search for the family browser. Without this script every finding
// and family stays visible, so the page is complete with scripts switched off (as in many mail readers).
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var findings = Array.prototype.slice.call(document.querySelectorAll("article.finding"));
  var count = document.getElementById("filter-count");

  function checked(name) {
    var boxes = form.querySelectorAll("input[name='" + name + "']");
    var on = {};
    Array.prototype.forEach.call(boxes, function (box) { if (box.checked) { on[box.value] = true; } });
    return on;
  }

  function apply() {
    var kinds = checked("kind"), severities = checked("severity"), peers = checked("peer");
    var shown = 0;
    findings.forEach(function (el) {
      var ps = (el.getAttribute("data-peers") || "").split(" ").filter(Boolean);
      var peerOk = ps.length === 0 ? !!peers["none"] : ps.some(function (p) { return !!peers[p]; });
      var visible = !!kinds[el.getAttribute("data-kind")] && !!severities[el.getAttribute("data-severity")] && peerOk;
      el.hidden = !visible;
      if (visible) { shown += 1; }
    });
    // a section whose findings are all filtered out disappears with them
    Array.prototype.forEach.call(document.querySelectorAll("section.by-section"), function (section) {
      var left = section.querySelectorAll("article.finding:not([hidden])").length;
      section.hidden = left === 0;
      var n = section.querySelector(".n");
      if (n) { n.textContent = String(left); }
    });
    count.textContent = "Showing " + shown + " of " + findings.length + " findings";
  }

  if (form) {
    form.hidden = false;
    count.hidden = false;
    form.addEventListener("change", apply);
    var reset = document.getElementById("filter-reset");
    reset.addEventListener("click", function () {
      Array.prototype.forEach.call(form.querySelectorAll("input[type=checkbox]"), function (box) { box.checked = true; });
      apply();
    });
    apply();
  }

  var search = document.getElementById("family-search");
  if (search) {
    var families = Array.prototype.slice.call(document.querySelectorAll("details.family"));
    search.hidden = false;
    search.addEventListener("input", function () {
      var q = search.value.trim().toLowerCase();
      families.forEach(function (el) { el.hidden = q !== "" && el.textContent.toLowerCase().indexOf(q) === -1; });
    });
  }

})();
