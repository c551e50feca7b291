// The language buttons load the page again in another language, and what was typed on it
// is lost (a half-written story, a long note). Once something was typed in another form
// of the page, they ask first, in the page's own words (data-unsaved on the form).
(function () {
  "use strict";
  var language = document.querySelector("form.language[data-unsaved]");
  if (!language) { return; }
  // A form shown again with its errors holds what was sent, and is not saved either.
  var typed = document.querySelector(".error-summary") !== null;
  document.addEventListener("input", function (event) {
    if (event.target.form && event.target.form !== language) { typed = true; }
  });
  // A form sent (its words are kept, or answered) is no longer typed and unsaved.
  document.addEventListener("submit", function (event) {
    if (event.target !== language) { typed = false; }
  });
  language.addEventListener("submit", function (event) {
    if (typed && !window.confirm(language.dataset.unsaved)) { event.preventDefault(); }
  });
})();
