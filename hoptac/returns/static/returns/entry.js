/* The return entry grid (returns/entry.html): a spreadsheet's keyboard, numbers grouped as typed.
   Every behaviour is an enhancement: without this file the form posts as it is. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-entry]");
  if (!form) return;

  function inputs() {
    return Array.prototype.slice.call(form.querySelectorAll(".entry-grid input, .entry-grid select"));
  }

  function move(from, step) {
    var all = inputs();
    var next = all[all.indexOf(from) + step];
    if (next) {
      next.focus();
      if (next.select) next.select();
    }
  }

  // Whole numbers: "1500000000" shows as "1.500.000.000" while typing; the caret keeps its digit.
  function group(input) {
    var signed = input.hasAttribute("data-signed");
    var value = input.value;
    var caret = input.selectionStart;
    var digitsBefore = value.slice(0, caret).replace(/\D/g, "").length;
    var negative = signed && /^\s*[-\u2212]/.test(value);
    var digits = value.replace(/\D/g, "").replace(/^0+(?=\d)/, "");
    if (/[^\d.\s\-\u2212]/.test(value)) return; // something else typed: leave it for the server to explain
    var grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    var text = (negative ? "-" : "") + grouped;
    if (text === value) return;
    input.value = text;
    var position = negative ? 1 : 0;
    var seen = 0;
    while (position < text.length && seen < digitsBefore) {
      if (/\d/.test(text[position])) seen += 1;
      position += 1;
    }
    input.setSelectionRange(position, position);
  }

  form.addEventListener("input", function (event) {
    var input = event.target;
    var unit = input.getAttribute("data-unit");
    if (unit === "dong" || unit === "count" || unit === "score") group(input);
    if (unit === "score") total();
  });

  form.addEventListener("keydown", function (event) {
    var field = event.target;
    if (!field.closest || !field.closest(".entry-grid")) return;
    if (event.key === "Enter" && field.tagName === "INPUT") {
      event.preventDefault(); // Enter moves down, as in a spreadsheet; the buttons submit
      move(field, event.shiftKey ? -1 : 1);
    } else if ((event.key === "ArrowDown" || event.key === "ArrowUp") && field.tagName === "INPUT") {
      event.preventDefault();
      move(field, event.key === "ArrowDown" ? 1 : -1);
    }
  });

  // Ctrl+S (Cmd+S) saves the draft.
  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && (event.key === "s" || event.key === "S")) {
      var save = document.getElementById("save-draft");
      if (save) {
        event.preventDefault();
        save.click();
      }
    }
  });

  // The grading sheet: the running total of the scores typed.
  var totalBox = form.querySelector("[data-score-total]");
  function total() {
    if (!totalBox) return;
    var sum = 0;
    form.querySelectorAll("input[data-unit='score']").forEach(function (input) {
      var n = parseInt(input.value.replace(/\D/g, ""), 10);
      if (!isNaN(n)) sum += n;
    });
    totalBox.textContent = String(sum);
  }
  total();
})();
