// The ballot's running count: how many projects are marked and how many remain, or how
// many points are left, as the voter marks. Without JavaScript the page works the same;
// the server checks the ballot against the rules either way.
(function () {
  "use strict";
  const ballot = document.querySelector("[data-ballot]");
  if (!ballot) return;
  const tally = ballot.querySelector("[data-ballot-tally]");
  const kind = ballot.dataset.kind;
  const most = Number(ballot.dataset.max);
  const pointsTotal = Number(ballot.dataset.pointsTotal);
  const texts = JSON.parse(document.getElementById("ballot-texts").textContent);

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, (_match, name) => String(values[name]));
  }

  function update() {
    if (kind === "cumulative") {
      let given = 0;
      ballot.querySelectorAll("input[type=number]").forEach((input) => {
        const value = parseInt(input.value, 10);
        if (Number.isFinite(value) && value > 0) given += value;
      });
      const left = pointsTotal - given;
      tally.textContent = fill(left >= 0 ? texts.points_left : texts.points_over, {
        left: Math.max(left, 0),
        over: Math.max(-left, 0),
        given: given,
      });
      tally.classList.toggle("over", left < 0);
      return;
    }
    const marked = ballot.querySelectorAll("input:checked").length;
    const remaining = most - marked;
    tally.textContent = fill(remaining >= 0 ? texts.marked : texts.marked_over, {
      marked: marked,
      remaining: Math.max(remaining, 0),
      over: Math.max(-remaining, 0),
    });
    tally.classList.toggle("over", remaining < 0);
  }

  tally.hidden = false;
  ballot.addEventListener("input", update);
  ballot.addEventListener("change", update);
  update();
})();
