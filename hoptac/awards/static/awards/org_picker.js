// The organisation picker (hoptac/awards/widgets.py): HTMX fetches the options as one types,
// this file shows them and writes the choice into the hidden field. Without JavaScript the
// text box simply takes an organisation's code, which the server resolves.
(function () {
  "use strict";

  function pickerOf(element) {
    return element && element.closest ? element.closest("[data-org-picker]") : null;
  }

  function parts(picker) {
    return {
      text: picker.querySelector("[data-org-picker-text]"),
      value: picker.querySelector("[data-org-picker-value]"),
      list: picker.querySelector("[data-org-picker-options]"),
    };
  }

  function options(p) {
    return Array.prototype.slice.call(p.list.querySelectorAll("li[data-pk]"));
  }

  function close(p) {
    p.list.hidden = true;
    p.text.setAttribute("aria-expanded", "false");
    p.text.removeAttribute("aria-activedescendant");
  }

  function activate(p, option) {
    options(p).forEach(function (o) {
      o.setAttribute("aria-selected", o === option ? "true" : "false");
    });
    if (option) {
      p.text.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    }
  }

  function choose(p, option) {
    p.value.value = option.getAttribute("data-pk");
    p.text.value = option.getAttribute("data-label");
    close(p);
    p.text.focus();
  }

  // The endpoint reads the query as "q", whatever the text box is called in its form.
  document.addEventListener("htmx:configRequest", function (event) {
    var picker = pickerOf(event.detail.elt);
    if (picker && event.detail.elt.hasAttribute("data-org-picker-text")) {
      event.detail.parameters.q = event.detail.elt.value;
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var picker = pickerOf(event.detail.target);
    if (!picker) return;
    var p = parts(picker);
    p.list.querySelectorAll("li").forEach(function (li, index) {
      li.id = p.list.id + "-" + index;
    });
    var open = p.list.children.length > 0 && p.text.value.trim() !== "";
    p.list.hidden = !open;
    p.text.setAttribute("aria-expanded", open ? "true" : "false");
  });

  // Typing changes the choice: the hidden pk no longer matches the text.
  document.addEventListener("input", function (event) {
    if (!event.target.hasAttribute || !event.target.hasAttribute("data-org-picker-text")) return;
    var p = parts(pickerOf(event.target));
    p.value.value = "";
    if (!event.target.value.trim()) close(p);
  });

  // mousedown, not click: it comes before the text box loses focus.
  document.addEventListener("mousedown", function (event) {
    var option = event.target.closest && event.target.closest("[data-org-picker-options] li[data-pk]");
    if (option) {
      event.preventDefault();
      choose(parts(pickerOf(option)), option);
      return;
    }
    document.querySelectorAll("[data-org-picker]").forEach(function (picker) {
      if (!picker.contains(event.target)) close(parts(picker));
    });
  });

  document.addEventListener("keydown", function (event) {
    if (!event.target.hasAttribute || !event.target.hasAttribute("data-org-picker-text")) return;
    var p = parts(pickerOf(event.target));
    var all = options(p);
    var current = p.list.querySelector("li[aria-selected='true']");
    var index = all.indexOf(current);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (p.list.hidden || !all.length) return;
      event.preventDefault();
      var step = event.key === "ArrowDown" ? 1 : -1;
      activate(p, all[(index + step + all.length) % all.length]);
    } else if (event.key === "Enter" && !p.list.hidden && current) {
      event.preventDefault(); // choose, do not submit the form
      choose(p, current);
    } else if (event.key === "Escape" && !p.list.hidden) {
      event.preventDefault();
      close(p);
    }
  });
})();
