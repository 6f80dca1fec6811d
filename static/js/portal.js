// Progressive enhancement only: every task works without this file.
// Moves keyboard and screen-reader focus to a form's error summary.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.setAttribute("tabindex", "-1");
    summary.focus();
  }
});
