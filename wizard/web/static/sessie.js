// The projection page of a werksessie: follow /sessie/stroom (server-sent events with the
// revision of every answers file) and fetch the page again only when one changed; without
// EventSource, ask /sessie/stand every second. Without script the page still works (reload).
// A swap keeps what the advisor opened (folded differences, the route choice) and the focus.
// After a button (Overnemen, a route) the page comes back at the difference it changed: the
// focus goes there, so the next Tab continues where the advisor was.
(function () {
  "use strict";
  var box = document.getElementById("projectie");
  if (!box) { return; }

  function landing() {
    var target = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
    if (target && target.tagName === "DETAILS") { target = target.querySelector("summary"); }
    if (!target && window.location.search) { target = document.getElementById("melding"); }
    if (target && !target.hasAttribute("tabindex") && target.tagName !== "SUMMARY") { target.setAttribute("tabindex", "-1"); }
    if (target) { target.focus(); }
  }
  // After the page and its fragment scroll are done: the browser's own jump to #… would undo an earlier focus.
  if (document.readyState === "complete") { landing(); } else { window.addEventListener("load", landing); }
  if (!window.fetch) { return; }
  var busy = false;
  var wanted = null;

  function where(element) {
    // The difference (or other block with an id) an element sits in, and the group of its form.
    var block = element && element.closest ? element.closest("[id]") : null;
    var group = element && element.form ? element.form.querySelector("[name=groep]") : null;
    return { id: block ? block.id : null, group: group ? group.value : null, summary: element && element.tagName === "SUMMARY" };
  }

  function swap(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("projectie");
    if (!fresh) { return; }
    var opened = Array.prototype.map.call(box.querySelectorAll("details[open]"), function (d) { return d.id || d.className; });
    var focus = document.activeElement && box.contains(document.activeElement) ? where(document.activeElement) : null;
    box.innerHTML = fresh.innerHTML;
    box.setAttribute("data-stand", fresh.getAttribute("data-stand"));
    Array.prototype.forEach.call(box.querySelectorAll("details"), function (d) {
      if (opened.indexOf(d.id || d.className) !== -1) { d.open = true; }
    });
    if (focus && focus.id) {
      var block = document.getElementById(focus.id);
      var again = null;
      if (block && focus.group) {
        var input = block.querySelector("form input[name=groep][value='" + focus.group + "']");
        again = input ? input.form.querySelector("button") : null;
      } else if (block && focus.summary) {
        again = block.querySelector("summary");
      }
      if (again) { again.focus(); }
    }
  }

  // Fetch the page when `stand` differs from what is shown; one fetch at a time, the last wish wins.
  function follow(stand) {
    if (stand === null || stand === box.getAttribute("data-stand")) { return; }
    if (busy) { wanted = stand; return; }
    busy = true;
    fetch("/sessie", { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html !== null) { swap(html); } })
      .catch(function () { /* the server stopped: keep what is shown */ })
      .then(function () {
        busy = false;
        var next = wanted;
        wanted = null;
        if (next !== null) { follow(next); }
      });
  }

  function poll() {
    fetch("/sessie/stand", { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(follow)
      .catch(function () { /* the server stopped */ });
  }

  if (window.EventSource) {
    var source = new EventSource("/sessie/stroom");
    source.addEventListener("stand", function (event) { follow(event.data); });
  } else {
    window.setInterval(poll, 1000);
  }
}());
