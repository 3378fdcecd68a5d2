// The projection page of a werksessie: ask every second whether anything changed, and only
// then fetch the page again and swap its content. Without script the page still works (reload).
(function () {
  "use strict";
  var box = document.getElementById("projectie");
  if (!box || !window.fetch) { return; }
  var busy = false;
  function refresh() {
    if (busy) { return; }
    busy = true;
    fetch("/sessie/stand", { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (stand) {
        if (stand === null || stand === box.getAttribute("data-stand")) { return null; }
        return fetch("/sessie", { credentials: "same-origin", cache: "no-store" })
          .then(function (r) { return r.ok ? r.text() : null; })
          .then(function (html) {
            if (html === null) { return; }
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
          });
      })
      .catch(function () { /* the server stopped: keep what is shown */ })
      .then(function () { busy = false; });
  }
  window.setInterval(refresh, 1000);
}());
