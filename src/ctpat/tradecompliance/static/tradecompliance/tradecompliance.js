/* Trade Compliance pages: the "Print" button (shown only when JavaScript runs) and printing
 * the folded sources.
 * A separate file because the site's CSP forbids inline scripts. */
(function () {
  "use strict";
  document.querySelectorAll("[data-tc-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
  // A printed question set shows its sources, which are folded away on screen.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.tc-sources").forEach(function (details) {
      details.open = true;
    });
  });
})();
