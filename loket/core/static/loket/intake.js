// The counter's intake screen (loket/templates/dossiers/intake.html). Without this script the
// form works the same by hand; with it:
// - "Lengkap semua" ticks every line of the checklist shown (present, and "asli ditunjukkan");
// - a returning citizen's last data (#from-nik, answered by the server once the NIK is typed)
//   fill the fields still empty, and "Pakai semua data terakhir" puts all of them back.
// No inline script anywhere (Content-Security-Policy: script-src 'self').
(function () {
  "use strict";

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  function form() { return document.querySelector("form.intake"); }

  // Buttons that need this script are hidden in the page and shown here.
  function reveal(root) {
    each((root || document).querySelectorAll("[data-check-all], [data-fill-all]"), function (b) { b.hidden = false; });
  }

  function fill(all) {
    var f = form();
    if (!f) { return; }
    each(document.querySelectorAll("#from-nik [data-fill]"), function (dd) {
      var field = f.elements[dd.getAttribute("data-fill")];
      if (!field) { return; }
      var value = dd.getAttribute("data-value") || "";
      if ((all || field.value === "") && field.value !== value) {
        field.value = value;
        // the checklist follows the fields that decide its lines (marital status)
        field.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-check-all]");
    if (button) {
      var list = document.getElementById("checklist");
      each(list ? list.querySelectorAll("input[type=checkbox]") : [], function (box) { box.checked = true; });
      return;
    }
    if (event.target.closest("[data-fill-all]")) { fill(true); }
  });

  // The checklist comes back from the server as it was when the request left; what the clerk
  // ticked or unticked meanwhile ("Lengkap semua" right after choosing the marital status) is
  // remembered just before the swap and put back on the lines that are still there.
  var ticks = null;
  function remember() {
    var list = document.getElementById("checklist");
    if (!list) { return; }
    ticks = {};
    each(list.querySelectorAll("input[type=checkbox][id]"), function (box) { ticks[box.id] = box.checked; });
  }
  document.addEventListener("htmx:beforeSwap", remember);
  document.addEventListener("htmx:oobBeforeSwap", remember);

  // htmx swapped in new content (#from-nik after the NIK, #checklist after a condition).
  document.addEventListener("htmx:load", function (event) {
    reveal(event.target);
    if (event.target.id === "from-nik") { fill(false); }
    if (event.target.id === "checklist" && ticks) {
      each(event.target.querySelectorAll("input[type=checkbox][id]"), function (box) {
        if (Object.prototype.hasOwnProperty.call(ticks, box.id)) { box.checked = ticks[box.id]; }
      });
      ticks = null;
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    reveal(document);
    // Settling copies each swapped element's old "style" attribute onto the new one, an inline
    // style the Content-Security-Policy (style-src 'self') refuses: settle the others only.
    if (window.htmx) { window.htmx.config.attributesToSettle = ["class", "width", "height"]; }
  });
})();
