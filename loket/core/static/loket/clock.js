// Live clocks on the counter screens: elements with data-clock-start (ISO time) count up
// every second; past data-clock-limit (seconds) they get the "late" class.
(function () {
  "use strict";
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-clock-start]").forEach(function (el) {
      var start = Date.parse(el.getAttribute("data-clock-start"));
      if (isNaN(start)) { return; }
      var s = Math.max(0, Math.floor((now - start) / 1000));
      var limit = parseInt(el.getAttribute("data-clock-limit") || "0", 10);
      el.textContent = s >= 86400
        ? Math.floor(s / 86400) + " hari " + Math.floor((s % 86400) / 3600) + " jam"
        : Math.floor(s / 60) + " mnt " + pad(s % 60) + " dtk";
      if (limit && s > limit) { el.classList.add("late"); }
    });
  }
  tick();
  setInterval(tick, 1000);
})();
