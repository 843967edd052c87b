// Answering a survey: show the questions whose condition (on the same page) is met, and a split's total.
// The page works without this script: every question is shown, and the server decides what is kept.
(function () {
  "use strict";
  var form = document.querySelector("[data-survey-form]");
  if (!form) { return; }

  function chosen(name) {
    var values = [];
    form.querySelectorAll("input[name='" + CSS.escape(name) + "']").forEach(function (input) {
      var holder = input.closest("[data-condition-name]");
      if (holder && holder.hidden) { return; }
      if ((input.type === "radio" || input.type === "checkbox") ? input.checked : input.value) { values.push(input.value); }
    });
    return values;
  }

  function conditions() {
    form.querySelectorAll("[data-condition-name]").forEach(function (holder) {
      var wanted = JSON.parse(holder.getAttribute("data-condition-values") || "[]");
      var met = chosen(holder.getAttribute("data-condition-name")).some(function (value) { return wanted.indexOf(value) !== -1; });
      holder.hidden = !met;
    });
  }

  function totals() {
    form.querySelectorAll("[data-split]").forEach(function (group) {
      var total = 0;
      group.querySelectorAll("[data-split-share]").forEach(function (input) {
        var share = parseInt(input.value, 10);
        if (!isNaN(share)) { total += share; }
      });
      var output = group.querySelector("[data-split-total]");
      if (output && output.textContent !== String(total)) { output.textContent = String(total); }
      group.classList.toggle("split-complete", total === 100);
    });
  }

  form.addEventListener("change", function () { conditions(); totals(); });
  form.addEventListener("input", totals);
  conditions();
  totals();
  var errors = document.getElementById("erreurs");
  if (errors) { errors.focus(); }
})();
