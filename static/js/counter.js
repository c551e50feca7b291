// Live character count for long text fields (the server counts too, without JavaScript).
(function () {
  "use strict";
  document.querySelectorAll("textarea[data-counter][maxlength]").forEach(function (area) {
    var hint = document.getElementById(area.id + "-hint");
    if (!hint) { return; }
    var live = document.createElement("span");
    live.className = "counter";
    live.setAttribute("aria-live", "polite");
    hint.appendChild(document.createTextNode(" "));
    hint.appendChild(live);
    function update() {
      live.textContent = area.value.length.toLocaleString() + " / " +
        Number(area.getAttribute("maxlength")).toLocaleString();
    }
    area.addEventListener("input", update);
    update();
  });
})();
