/* Swagger UI on the product's own files. No inline script: the page's CSP allows none. */
"use strict";
(function () {
  const el = document.getElementById("swagger-ui");
  if (!el || typeof SwaggerUIBundle === "undefined") return;
  const csrf = el.dataset.csrfToken;
  SwaggerUIBundle({
    url: el.dataset.schemaUrl,
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    persistAuthorization: false,
    tryItOutEnabled: false,
    // The schemas are in each operation already; the list of them at the end only adds length.
    defaultModelsExpandDepth: -1,
    // Signed-in staff try calls with their session: Django wants the CSRF token on writes.
    requestInterceptor: function (request) {
      if (request.method && request.method !== "GET" && csrf) request.headers["X-CSRFToken"] = csrf;
      return request;
    },
  });
})();
