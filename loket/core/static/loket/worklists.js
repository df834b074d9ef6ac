// Work lists with checkboxes (the Kasi's paraf, the signature): "Pilih semua" ticks or clears
// every row of its form, and follows the rows (ticked when all are, mixed when some are).
// The control is rendered hidden and shown here, so without this script it is simply absent.
(function () {
  "use strict";
  document.querySelectorAll("form[data-worklist]").forEach(function (form) {
    var wrap = form.querySelector("[data-pick-all]");
    var all = form.querySelector("[data-pick-all-box]");
    var count = form.querySelector("[data-picked]");
    var rows = Array.prototype.slice.call(form.querySelectorAll('input[type=checkbox][name="code"]'));
    if (!wrap || !all || !rows.length) { return; }
    function sync() {
      var n = rows.filter(function (r) { return r.checked; }).length;
      all.checked = n === rows.length;
      all.indeterminate = n > 0 && n < rows.length;
      if (count) { count.textContent = "(" + n + "/" + rows.length + ")"; }
    }
    all.addEventListener("change", function () {
      rows.forEach(function (r) { r.checked = all.checked; });
      sync();
    });
    rows.forEach(function (r) { r.addEventListener("change", sync); });
    wrap.hidden = false;
    sync();
  });
})();
