// The live quote on the application form: as the cover fields change, the premium is asked of
// the quote API (the same pricing engine the form uses when saved) and shown in place. Without
// script the "Update the quote" button does the same through the server.
(function () {
  "use strict";
  var form = document.querySelector("[data-test=application-form]");
  if (!form || !window.fetch) return;
  var box = form.querySelector("[data-test=live-quote]");
  var fields = ["sum_assured", "term", "premium_term", "mode", "insured", "insured_gender", "insured_birth_date"];
  var timer = null;
  function value(name) {
    var checked = form.querySelector("[name=" + name + "]:checked");
    var el = checked || form.querySelector("[name=" + name + "]");
    return el ? el.value : "";
  }
  function show(text, isError) {
    var line = box.querySelector("p");
    line.className = isError ? "field-error" : "";
    line.setAttribute("data-test", isError ? "quote-error" : "quote-premium");
    line.textContent = text;
  }
  function ask() {
    var self = value("insured") !== "family";
    var body = {product: form.dataset.product, sum_assured: value("sum_assured"), term: value("term"),
                premium_term: value("premium_term"), mode: value("mode"),
                sex: self ? form.dataset.ownerSex : value("insured_gender"),
                birth_date: self ? form.dataset.ownerBirth : value("insured_birth_date")};
    if (!body.sum_assured || !body.birth_date) return;
    fetch(form.dataset.quoteUrl, {method: "POST", headers: {"Content-Type": "application/json"},
                                  body: JSON.stringify(body), credentials: "same-origin"})
      .then(function (answer) { return answer.json().then(function (data) { return [answer.ok, data]; }); })
      .then(function (result) {
        if (result[0]) {
          var premium = Number(result[1].premium.per_payment);
          show(form.dataset.premiumLabel + ": ¥" + premium.toLocaleString("en-US", {minimumFractionDigits: 2}), false);
        } else if (result[1].error) {
          show(result[1].error.message, true);
        }
      })
      .catch(function () { /* the button still quotes through the server */ });
  }
  fields.forEach(function (name) {
    form.querySelectorAll("[name=" + name + "]").forEach(function (el) {
      el.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(ask, 300); });
      el.addEventListener("change", ask);
    });
  });
}());
