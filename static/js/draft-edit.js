// Live totals on the draft budget's form: the sums and the balance follow what staff type.
// Without JavaScript the page shows the totals as last saved; the server checks the balance.
(function () {
  "use strict";
  const form = document.querySelector("[data-draft-form]");
  if (!form) return;
  const language = document.documentElement.lang || "kk";
  const whole = new Intl.NumberFormat(language, { maximumFractionDigits: 0 });
  const withTiyn = new Intl.NumberFormat(language, {
    minimumFractionDigits: 2,
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

  // As the server's `tenge` filter writes amounts: no-break spaces between thousands in
  // every language (Chromium's Kazakh would write commas), tiyn only when there are any.
  function tenge(tiyn) {
    return (tiyn % 100 === 0 ? whole : withTiyn)
      .formatToParts(tiyn / 100)
      .map((part) => (part.type === "group" ? "\u00a0" : part.value))
      .join("");
  }

  function update() {
    const revenue = sum("revenue");
    const expenditure = sum("expenditure");
    const balance = revenue + (cash ? amount(cash) : 0) - expenditure;
    output("revenue").textContent = tenge(revenue);
    output("expenditure").textContent = tenge(expenditure);
    output("balance").textContent = tenge(balance);
    warning.hidden = balance >= 0;
  }

  form.addEventListener("input", update);
  update();
})();
