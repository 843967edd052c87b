// Mon plan de développement, the action form: show only the fields the chosen kind and state use.
// Without JavaScript every field shows and the server keeps only what the kind needs.
(function () {
  "use strict";
  var byKind = { formation: "div_id_training", ressource: "div_id_resource", echange: "div_id_peer" };

  function show(id, visible) {
    var box = document.getElementById(id);
    if (box) {
      box.hidden = !visible;
    }
  }

  function update(form) {
    var checked = form.querySelector("input[name=kind]:checked");
    var kind = checked ? checked.value : "";
    Object.keys(byKind).forEach(function (key) {
      show(byKind[key], key === kind);
    });
    var status = form.querySelector("select[name=status]");
    show("div_id_done_on", !status || status.value === "faite");
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-plan-action]");
    if (!form) {
      return;
    }
    form.addEventListener("change", function () {
      update(form);
    });
    update(form);
  });
})();
