// Live character count for long text fields (the server counts too, without JavaScript).
// Numbers are written as the page's language writes them (<html lang>), as the server's
// words beside them are, never the browser's: else the plain digits.
(function () {
  "use strict";
  var lang = document.documentElement.lang;
  var format = function (n) { return String(n); };
  if (lang && window.Intl) {
    try {
      var numbers = new Intl.NumberFormat(lang);
      format = function (n) { return numbers.format(n); };
    } catch (e) { /* a language tag Intl refuses: plain digits */ }
  }
  document.querySelectorAll("textarea[data-counter][maxlength]").forEach(function (area) {
    var hint = document.getElementById(area.id + "-hint");
    if (!hint) { return; }
    // The server's "you have written N" counts what it was sent; the live count replaces it.
    var written = hint.querySelector(".written");
    if (written) { written.hidden = true; }
    var live = document.createElement("span");
    live.className = "counter";
    live.setAttribute("aria-live", "polite");
    hint.appendChild(document.createTextNode(" "));
    hint.appendChild(live);
    function update() {
      live.textContent = format(area.value.length) + " / " +
        format(Number(area.getAttribute("maxlength")));
    }
    area.addEventListener("input", update);
    update();
  });
})();
