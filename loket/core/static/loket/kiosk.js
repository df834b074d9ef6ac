// The SKM kiosk (loket/templates/surveys/kiosk.html), a tablet at the counter. Its <script> tag
// carries the timings: data-kiosk-thanks-ms (the thank-you gives way to the blank form) and
// data-kiosk-idle-ms (a half-filled form left alone that long is cleared for the next
// respondent), and data-kiosk-home (the kiosk's own address, without ?terima-kasih=1).
// Without this script the page works the same by hand: the "Responden berikutnya" link.
(function () {
  "use strict";
  var script = document.querySelector("script[data-kiosk-home]");
  if (!script) { return; }
  function number(name, fallback) {
    var v = parseInt(script.getAttribute(name) || "", 10);
    return v > 0 ? v : fallback;
  }
  var home = script.getAttribute("data-kiosk-home") || window.location.pathname;
  var thanksMs = number("data-kiosk-thanks-ms", 8000);
  var idleMs = number("data-kiosk-idle-ms", 120000);
  var lastActivity = Date.now();
  var touched = false;

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  function start() {
    var form = document.querySelector("form.kiosk-form");
    var thanks = document.getElementById("kiosk-thanks");
    if (!form) { return; }
    var submit = form.querySelector("[type=submit]");

    function fields() { return form.querySelectorAll("input, select, textarea"); }

    // Anything the respondent chose or typed (the CSRF token and other hidden fields aside).
    function filled() {
      var any = false;
      each(fields(), function (el) {
        if (el.type === "hidden" || el.type === "submit") { return; }
        if (el.type === "radio" || el.type === "checkbox") { any = any || el.checked; }
        else { any = any || el.value !== ""; }
      });
      return any;
    }

    // Blank, also the defaults the server wrote after a refused answer (checked, value, selected),
    // and without the messages meant for the respondent who left.
    function clear() {
      each(fields(), function (el) {
        if (el.type === "hidden" || el.type === "submit") { return; }
        if (el.type === "radio" || el.type === "checkbox") {
          el.checked = false;
          el.defaultChecked = false;
        } else if (el.tagName === "SELECT") {
          each(el.options, function (o) { o.defaultSelected = false; });
          el.selectedIndex = 0;
        } else {
          el.defaultValue = "";
          el.value = "";
        }
        el.removeAttribute("aria-invalid");
      });
      each(document.querySelectorAll(".kiosk-main .error"), function (el) { el.parentNode.removeChild(el); });
      each(document.querySelectorAll(".kiosk-main .has-error"), function (el) { el.classList.remove("has-error"); });
      each(form.querySelectorAll("[aria-describedby]"), function (el) { el.removeAttribute("aria-describedby"); });
      form.removeAttribute("data-kiosk-refused");
      if (submit) { submit.disabled = false; }
    }

    function toHome() {
      if (window.history && window.history.replaceState) { window.history.replaceState(null, "", home); }
    }

    function activity(event) {
      lastActivity = Date.now();
      if (event.type !== "scroll" && event.type !== "wheel") { touched = true; }
    }
    ["pointerdown", "touchstart", "keydown", "input", "change", "wheel", "scroll"].forEach(function (type) {
      window.addEventListener(type, activity, { passive: true, capture: true });
    });

    // The thank-you gives way to the blank form (already below it) by itself.
    if (thanks) {
      window.setTimeout(function () {
        var y = window.scrollY, h = thanks.offsetHeight;
        thanks.hidden = true;
        toHome();
        if (y > 0) { window.scrollTo(0, Math.max(0, y - h)); }  // what the respondent looks at stays put
      }, thanksMs);
    }

    // A form left half-filled (or a refused one) is cleared once nobody has touched the tablet for idleMs.
    window.setInterval(function () {
      if (Date.now() - lastActivity < idleMs) { return; }
      if (filled() || form.hasAttribute("data-kiosk-refused")) {
        clear();
        toHome();
        window.scrollTo(0, 0);
      }
      lastActivity = Date.now();
    }, Math.min(5000, idleMs));

    // One tap, one response: no second submit while the first is on its way.
    form.addEventListener("submit", function () {
      if (submit) { window.setTimeout(function () { submit.disabled = true; }, 0); }
      window.setTimeout(function () { if (submit) { submit.disabled = false; } }, 15000);
    });

    // Back to a page from the browser's history (back button or gesture): it may still hold the
    // previous respondent's answers, restored by the browser. Never show them.
    window.addEventListener("pageshow", function (event) {
      if (event.persisted || (!touched && !form.hasAttribute("data-kiosk-refused"))) { clear(); }
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
