// Review pages: focus and announce the result of an in-place save, and j/k to move through the queue.
// Progressive enhancement only: every review page works without this file.
(function () {
  "use strict";

  function announce(text) {
    var region = document.getElementById("announcer");
    if (!region) { return; }
    region.textContent = "";
    // A short delay makes screen readers notice the change of text.
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  // The editor panel was swapped after a save: move focus to its message and read it out.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== "editor-panel") { return; }
    var panel = document.getElementById("editor-panel");
    if (!panel) { return; }
    var message = panel.querySelector("[data-focus-first]");
    if (!message) { return; }
    if (!message.hasAttribute("tabindex")) { message.setAttribute("tabindex", "-1"); }
    message.focus();
    announce(message.textContent.replace(/\s+/g, " ").trim());
  });

  function typing(element) {
    var name = element && element.tagName;
    return name === "INPUT" || name === "TEXTAREA" || name === "SELECT" || (element && element.isContentEditable);
  }

  // j: next string, k: previous string, when no field has focus (the links work with Tab and Enter too).
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || typing(event.target)) { return; }
    if (event.key !== "j" && event.key !== "k") { return; }
    var link = document.querySelector('a[data-key="' + event.key + '"]');
    if (!link) { return; }
    event.preventDefault();
    window.location.assign(link.href);
  });
})();
