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

  // Consequential actions (approve, deny, suspend, remove, …) ask first: a form or button with
  // data-confirm="Question?" shows the browser's confirmation dialog before it submits. The
  // server never relies on it (every action is still checked there); it guards against slips.
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      var submitter = event.submitter;
      var question =
        (submitter && submitter.getAttribute("data-confirm")) ||
        (form && form.getAttribute && form.getAttribute("data-confirm"));
      if (question && !window.confirm(question)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );

  // A refusal page (upload too large, CSRF failure, too many fields, …) answers an htmx request
  // with an error status, which htmx would leave unswapped: the user would see nothing. The
  // server marks such pages (X-Ctpat-Refusal) and names the target (HX-Retarget / HX-Reselect:
  // the main content), so they are shown like any page.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.getResponseHeader("X-Ctpat-Refusal")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
