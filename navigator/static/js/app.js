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
    if (!main || !main.contains(event.detail.elt) && event.detail.elt !== main) { return; }
    enablePrint(main);
    focusNewContent(main, true);
  });
})();
