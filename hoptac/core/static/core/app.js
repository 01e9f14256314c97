/* hoptac: small progressive enhancements. Every page works without this file;
   the CSP forbids inline scripts, so behaviour hangs on data- attributes. */
(function () {
  "use strict";

  // <form data-confirm="Sure?"> or <button data-confirm="…">: ask before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var message = (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // <a data-confirm="…">: the same for links.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-confirm]");
    if (link && !window.confirm(link.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  // <input data-live-search>: its form searches while typing (htmx "input changed delay"); the
  // "change" its blur fires must not search again: when the blur comes from clicking a result,
  // that second answer's history push would cancel the click's navigation.
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("[data-live-search]")) {
      event.stopPropagation();
    }
  }, true);

  // <select data-autosubmit>: submit its form on change, unless htmx already reacts to it.
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (!field.matches || !field.matches("[data-autosubmit]") || !field.form) {
      return;
    }
    var form = field.form;
    if (window.htmx && (form.hasAttribute("hx-get") || form.hasAttribute("hx-post"))) {
      return;
    }
    if (form.requestSubmit) {
      form.requestSubmit();
    } else {
      form.submit();
    }
  });

  // <button data-print>: print the page (the print stylesheet hides navigation and filters).
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) {
      window.print();
    }
  });

  // Drop-down menus built on <details>: close on a click elsewhere or on Escape.
  function closeMenus(except) {
    document.querySelectorAll("details.user-menu[open]").forEach(function (menu) {
      if (menu !== except) {
        menu.removeAttribute("open");
      }
    });
  }
  document.addEventListener("click", function (event) {
    closeMenus(event.target.closest ? event.target.closest("details.user-menu") : null);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      closeMenus(null);
    }
  });

  // Typing is activity: while someone types in a form (and makes no request), tell the server
  // every few minutes, so the idle sign-out (30 minutes) never ends a session in the middle of it.
  var keepAlive = document.body && document.body.getAttribute("data-keep-alive");
  if (keepAlive && window.fetch) {
    var typedAt = 0;
    var toldAt = Date.now();
    document.addEventListener("input", function () {
      typedAt = Date.now();
    }, true);
    window.setInterval(function () {
      if (typedAt > toldAt) {
        toldAt = Date.now();
        window.fetch(keepAlive, { credentials: "same-origin", cache: "no-store" });
      }
    }, 4 * 60 * 1000);
  }

  // On a phone the menu is one row that scrolls: show where the current page is.
  var current = document.querySelector(".main-nav a[aria-current='page']");
  if (current && current.scrollIntoView && window.matchMedia("(max-width: 640px)").matches) {
    current.scrollIntoView({ block: "nearest", inline: "center" });
  }
})();
