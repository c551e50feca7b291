// Quick exit by keyboard: Esc or Shift pressed three times within two seconds.
// Leaving with location.replace keeps this page out of the history list.
(function () {
  "use strict";
  var link = document.getElementById("quick-exit");
  if (!link) { return; }
  var presses = { Escape: [], Shift: [] };

  function leave() {
    document.body.hidden = true; // hide the page at once, even on a slow connection
    window.location.replace(link.href);
  }

  link.addEventListener("click", function (event) {
    event.preventDefault();
    leave();
  });

  document.addEventListener("keydown", function (event) {
    var times = presses[event.key];
    if (!times || event.repeat) { return; }
    var now = Date.now();
    times.push(now);
    while (times.length && now - times[0] > 2000) { times.shift(); }
    if (times.length >= 3) { leave(); }
  });
}());
