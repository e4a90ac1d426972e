// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  function announce(text) {
    var region = document.getElementById("announcer");
    if (!region) { return; }
    region.textContent = "";
    // A short delay makes screen readers notice the change of text.
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  // After new content arrives, move focus to the error summary, else the page heading.
  function focusNewContent(root, speak) {
    var target = root.querySelector("[data-focus-first]") || root.querySelector("h1");
    if (!target) { return; }
    if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
    target.focus({ preventScroll: false });
    if (speak) {
      var progress = root.querySelector("#progress");
      announce((progress ? progress.textContent + ". " : "") + target.textContent.trim());
    }
  }

  function enablePrint(root) {
    root.querySelectorAll(".print-button").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    enablePrint(document);
    var summary = document.querySelector("[data-focus-first]");
    if (summary) { summary.focus(); }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var main = document.getElementById("main-content");
    // Only a new page in the main area moves focus; suggestions never take it from the input.
    if (!main || event.detail.target !== main) { return; }
    enablePrint(main);
    focusNewContent(main, true);
  });

  // Live suggestions: say how many there are, and let arrow keys move through them.
  document.addEventListener("htmx:afterSwap", function (event) {
    var box = event.detail.target;
    if (!box.classList || !box.classList.contains("suggestions")) { return; }
    var status = document.getElementById(box.id.replace(/-suggestions$/, "-status"));
    var source = box.querySelector("[data-message]");
    if (status) { status.textContent = source ? source.getAttribute("data-message") : ""; }
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var form = target.closest && target.closest(".search-box");
    if (!form) { return; }
    var input = form.querySelector(".search-box__input");
    var items = Array.prototype.slice.call(form.querySelectorAll(".suggestions__item"));
    var index = items.indexOf(target);
    if (event.key === "ArrowDown" && items.length) {
      event.preventDefault();
      items[Math.min(index + 1, items.length - 1)].focus();
    } else if (event.key === "ArrowUp" && index >= 0) {
      event.preventDefault();
      if (index === 0) { input.focus(); } else { items[index - 1].focus(); }
    } else if (event.key === "Escape" && items.length) {
      form.querySelector(".suggestions").innerHTML = "";
      input.focus();
    }
  });
})();
