// Quick exit by keyboard: Esc or Shift tapped three times within two seconds.
// A Shift used to type a capital letter does not count, and any other key starts over,
// so typing never leaves by accident. location.replace keeps this page out of history.
(function () {
  "use strict";
  var link = document.getElementById("quick-exit");
  if (!link) { return; }
  document.documentElement.classList.add("keys-work"); // the hint's keys half: site.css
  var taps = [];
  var lastKey = null;
  var shiftAlone = false;

  function leave() {
    document.body.hidden = true; // hide the page at once, even on a slow connection
    window.location.replace(link.href);
  }

  function tap(key) {
    var now = Date.now();
    if (lastKey !== key) { taps = []; }
    lastKey = key;
    taps.push(now);
    taps = taps.filter(function (t) { return now - t <= 2000; });
    if (taps.length >= 3) { leave(); }
  }

  link.addEventListener("click", function (event) {
    event.preventDefault();
    leave();
  });

  document.addEventListener("keydown", function (event) {
    if (event.repeat) { return; }
    if (event.key === "Escape") { tap("Escape"); return; }
    if (event.key === "Shift") { shiftAlone = true; return; }
    shiftAlone = false;
    taps = [];
    lastKey = null;
  });

  document.addEventListener("keyup", function (event) {
    if (event.key === "Shift" && shiftAlone) { tap("Shift"); }
    shiftAlone = false;
  });
}());
