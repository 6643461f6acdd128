// Progressive enhancement only: every page works without this file.
// - On narrow screens the case filters start folded when none is active.
// - The filter form drops its empty fields on submit, so a filtered address stays short
//   and shareable (/cases?stage=resolved rather than ten empty parameters). Selects do not
//   submit on change: keyboard users move through options, and WCAG 3.2.2 asks that
//   choosing an option not navigate by itself.
// - The case page's print button appears (printing needs script to be started from a button;
//   the browser's own print command gives the same layout without it).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // On a phone the filters would push the results below the fold: fold them away unless
    // the reader is already filtering. Without script they stay open (the server's default).
    var narrow = window.matchMedia("(max-width: 40rem)").matches;
    document.querySelectorAll("details[data-collapse-narrow]").forEach(function (d) {
      if (narrow && !d.hasAttribute("data-filtered")) { d.open = false; }
    });
    document.querySelectorAll(".facets form").forEach(function (form) {
      form.addEventListener("submit", function () {
        form.querySelectorAll("select").forEach(function (s) { s.disabled = s.value === ""; });
      });
    });
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  });
  // A page restored from the back/forward cache must not keep fields disabled.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll(".facets select").forEach(function (s) { s.disabled = false; });
  });
})();
