// Upload progress for the Excel import form (registry/import.html).
// HTMX posts the form and reports the upload through htmx:xhr:progress; once every byte
// is sent the server still checks each row, so the bar turns indeterminate until the
// result replaces #import-result. Without JavaScript the form posts normally.
(function () {
  "use strict";

  function parts() {
    return {
      form: document.getElementById("import-form"),
      box: document.getElementById("import-progress-box"),
      bar: document.getElementById("import-progress"),
      label: document.getElementById("import-progress-label"),
      submit: document.getElementById("import-submit"),
    };
  }

  function fromForm(event) {
    var p = parts();
    return p.form && event.target === p.form ? p : null;
  }

  function checking(p) {
    p.checking = true;
    p.bar.removeAttribute("value"); // indeterminate: the server is validating
    p.label.textContent = p.bar.dataset.checking || "";
  }

  var state = null;

  document.addEventListener("htmx:beforeRequest", function (event) {
    var p = fromForm(event);
    if (!p) return;
    state = p;
    p.checking = false;
    p.box.hidden = false;
    p.bar.setAttribute("value", "0");
    p.label.textContent = p.bar.dataset.uploading || "";
    p.submit.disabled = true;
  });

  document.addEventListener("htmx:xhr:progress", function (event) {
    if (!fromForm(event) || !state || state.checking) return;
    var d = event.detail;
    if (!d.lengthComputable || !d.total) return;
    var percent = Math.floor((d.loaded / d.total) * 100);
    state.bar.value = percent;
    state.label.textContent = (state.bar.dataset.uploading || "") + " " + percent + "%";
    if (d.loaded >= d.total) checking(state);
  });

  document.addEventListener("htmx:xhr:loadend", function (event) {
    // The upload finished (or, on a tiny file, no progress event came): wait for the check.
    if (fromForm(event) && state && !state.checking) checking(state);
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var p = fromForm(event);
    if (!p) return;
    p.submit.disabled = false;
    if (event.detail.successful) {
      p.box.hidden = true;
    } else {
      p.bar.setAttribute("value", "0");
      p.label.textContent = p.bar.dataset.failed || "";
    }
    state = null;
  });
})();
