// The projection page of a werksessie: follow /sessie/stroom (server-sent events with the
// revision of every answers file) and fetch the page again only when one changed; without
// EventSource, ask /sessie/stand every second. Without script the page still works (reload).
(function () {
  "use strict";
  var box = document.getElementById("projectie");
  if (!box || !window.fetch) { return; }
  var busy = false;
  var wanted = null;

  function swap(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("projectie");
    if (!fresh) { return; }
    var focused = document.activeElement;
    var key = focused && focused.form ? focused.form.querySelector("[name=vraag]") : null;
    var group = focused && focused.form ? focused.form.querySelector("[name=groep]") : null;
    box.innerHTML = fresh.innerHTML;
    box.setAttribute("data-stand", fresh.getAttribute("data-stand"));
    if (key && group) {
      var again = box.querySelector("form input[name=vraag][value='" + key.value + "'] ~ input[name=groep][value='" + group.value + "'] ~ button");
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
