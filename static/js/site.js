// Menus are <details> elements, usable without JavaScript; this only closes an open menu when
// the visitor clicks elsewhere or presses Escape, as people expect from a menu.
(function () {
  "use strict";
  function openMenus() {
    return document.querySelectorAll("details.menu[open]");
  }
  document.addEventListener("click", function (event) {
    openMenus().forEach(function (menu) {
      if (!menu.contains(event.target)) {
        menu.removeAttribute("open");
      }
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    openMenus().forEach(function (menu) {
      menu.removeAttribute("open");
      menu.querySelector("summary").focus();
    });
  });
})();

// <details data-fold-narrow> (the directory's filters): open on wide screens, where the markup opens it;
// folded on a phone's screen unless one of its fields is filled in. Without JavaScript it stays open.
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 991.98px)");
  function filled(details) {
    return Array.prototype.some.call(details.querySelectorAll("input, select, textarea"), function (field) {
      if (field.type === "hidden" || field.type === "submit") {
        return false;
      }
      return field.type === "checkbox" || field.type === "radio" ? field.checked : field.value !== "";
    });
  }
  function fold() {
    document.querySelectorAll("details[data-fold-narrow]").forEach(function (details) {
      details.open = !narrow.matches || filled(details);
    });
  }
  fold();
  narrow.addEventListener("change", fold);
})();

// A table wider than its box scrolls inside it (.table-responsive): the box then takes the keyboard focus, so
// that it can be scrolled without a mouse (WCAG 2.1.1), named after its table's caption. Checked again when
// the window is resized and after htmx swaps.
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        var caption = box.querySelector("caption");
        if (caption && !box.hasAttribute("aria-label")) {
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", caption.textContent.trim());
        }
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
      }
    });
  }
  mark();
  window.addEventListener("resize", mark);
  document.addEventListener("htmx:afterSettle", mark);
})();
