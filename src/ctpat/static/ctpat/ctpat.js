/* ctpat: the only first-party script. Loaded at the end of <body> by base.html.
 * The site sends Content-Security-Policy "script-src 'self'": no inline scripts, no eval.
 */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // Send Django's CSRF token with every htmx request (POST/PUT/PATCH/DELETE need it).
  // The token is read at request time from <meta name="csrf-token"> in base.html.
  document.body.addEventListener("htmx:configRequest", function (event) {
    var token = csrfToken();
    if (token) {
      event.detail.headers["X-CSRFToken"] = token;
    }
  });
})();
