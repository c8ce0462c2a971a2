// Keeps the server-computed countdowns ([data-deadline]) ticking while a page stays open. The page
// is right without it: the server wrote the same text in Beijing time when it rendered the page.
(function () {
  "use strict";
  function tick() {
    var now = Date.now();
    document.querySelectorAll(".icdc-countdown[data-deadline][data-format]").forEach(function (el) {
      var left = Math.floor((Date.parse(el.dataset.deadline) - now) / 1000);
      var text = el.querySelector(".icdc-countdown-text");
      if (!text) { return; }
      if (left <= 0) { text.textContent = el.dataset.passed; return; }
      text.textContent = el.dataset.format
        .replace("{d}", Math.floor(left / 86400))
        .replace("{h}", Math.floor(left % 86400 / 3600))
        .replace("{m}", Math.floor(left % 3600 / 60));
    });
  }
  setInterval(tick, 30000);
})();
