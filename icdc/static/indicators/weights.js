// Live sum of the weights on the "调整权重" page; the server re-checks on save.
(function () {
  var output = document.querySelector("[data-weight-total]");
  if (!output) { return; }
  function update() {
    var cents = 0;
    document.querySelectorAll("input[data-weight]").forEach(function (input) {
      var value = parseFloat(input.value);
      if (!isNaN(value)) { cents += Math.round(value * 100); }
    });
    output.textContent = (cents / 100).toString();
  }
  document.addEventListener("input", function (event) {
    if (event.target.matches("input[data-weight]")) { update(); }
  });
  update();
})();
