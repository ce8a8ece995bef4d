// Live totals on the draft budget's form: the sums and the balance follow what staff type.
// Without JavaScript the page shows the totals as last saved; the server checks the balance.
(function () {
  "use strict";
  const form = document.querySelector("[data-draft-form]");
  if (!form) return;
  const format = new Intl.NumberFormat(document.documentElement.lang || "kk", {
    maximumFractionDigits: 2,
  });
  const cash = form.querySelector("[name=cash_balance_used]");
  const output = (name) => form.querySelector(`[data-total="${name}"]`);
  const warning = form.querySelector("[data-balance-warning]");

  function amount(input) {
    const value = parseFloat(input.value);
    return Number.isFinite(value) && value > 0 ? Math.round(value * 100) : 0;
  }

  function sum(kind) {
    let tiyn = 0;
    form.querySelectorAll(`[data-amount="${kind}"]`).forEach((input) => {
      tiyn += amount(input);
    });
    return tiyn;
  }

  function update() {
    const revenue = sum("revenue");
    const expenditure = sum("expenditure");
    const balance = revenue + (cash ? amount(cash) : 0) - expenditure;
    output("revenue").textContent = format.format(revenue / 100);
    output("expenditure").textContent = format.format(expenditure / 100);
    output("balance").textContent = format.format(balance / 100);
    warning.hidden = balance >= 0;
  }

  form.addEventListener("input", update);
  update();
})();
