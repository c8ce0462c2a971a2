// AHP page: show the implied reverse judgement as each pair is chosen, and mark a computed
// result stale (save/apply disabled) once a judgement changes; the server re-checks anyway.
(function () {
  function reciprocal(value) {
    var parts = value.split("/");
    if (parts.length === 2) { return parts[1]; }      // "1/5" -> "5"
    return value === "1" ? "1" : "1/" + value;        // "3" -> "1/3"
  }
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches("select[data-ahp-pair]")) { return; }
    var row = select.closest("tr");
    var output = row && row.querySelector("output[data-ahp-reciprocal]");
    if (output) { output.textContent = select.value ? output.dataset.prefix + reciprocal(select.value) : ""; }
    select.classList.remove("is-invalid");
    var stale = document.querySelector("[data-ahp-stale]");
    if (stale) { stale.classList.remove("d-none"); }
    document.querySelectorAll("button[data-ahp-commit]").forEach(function (button) { button.disabled = true; });
  });
})();
