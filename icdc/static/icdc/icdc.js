// Small behaviours kept out of templates so the Content-Security-Policy can forbid inline script.
document.addEventListener("change", function (event) {
  if (event.target.matches("[data-autosubmit]")) { event.target.form.submit(); }
});
document.body.addEventListener("htmx:configRequest", function (event) {
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) { event.detail.headers["X-CSRFToken"] = token.value; }
});
// A table box that scrolls sideways must be reachable from the keyboard (WCAG 2.1.1, axe
// "scrollable-region-focusable"): give it a tab stop and a name while, and only while, it scrolls.
function markScrollingTables() {
  document.querySelectorAll(".table-responsive").forEach(function (box) {
    var table = box.querySelector("table");
    if (box.scrollWidth > box.clientWidth + 1 && !box.querySelector("a, button, input, select, textarea")) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      var caption = table && table.querySelector("caption");
      var heading = box.closest("section") && box.closest("section").querySelector("h2, h3");
      var name = (caption || heading || document.querySelector("h1") || {}).textContent;
      if (name) { box.setAttribute("aria-label", name.trim().replace(/\s+/g, " ")); }
    } else if (box.getAttribute("role") === "region") {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  });
}
markScrollingTables();
window.addEventListener("resize", markScrollingTables);
