// The attendance list kept on this device: what is typed is saved as it is typed, a list
// sent without a connection waits, and it is sent by itself when the connection returns.
// The list is cleared once the server has answered; the server counts an IIN once,
// however often it arrives. Without JavaScript the form posts as any form does.
(function () {
  "use strict";
  const form = document.querySelector("[data-attendance-form]");
  if (!form) return;
  const box = form.querySelector("textarea[name=iins]");
  const state = form.querySelector("[data-attendance-state]");
  const texts = JSON.parse(document.getElementById("attendance-texts").textContent);
  const key = "qatysu-attendance-" + form.dataset.gathering;
  let storage = null;
  try {
    storage = window.localStorage;
  } catch (_error) {
    return;
  }

  if (form.dataset.sent === "1") {
    storage.removeItem(key);
  } else {
    const kept = storage.getItem(key);
    if (kept && !box.value.trim()) {
      box.value = kept;
      state.textContent = texts.kept;
    }
  }

  box.addEventListener("input", function () {
    if (box.value.trim()) storage.setItem(key, box.value);
    else storage.removeItem(key);
  });

  form.addEventListener("submit", function (event) {
    if (box.value.trim()) storage.setItem(key, box.value);
    if (!navigator.onLine) {
      event.preventDefault();
      state.textContent = texts.waiting;
    }
  });

  window.addEventListener("online", function () {
    if (box.value.trim() && storage.getItem(key)) {
      state.textContent = texts.sending;
      form.requestSubmit();
    }
  });
  window.addEventListener("offline", function () {
    state.textContent = texts.offline;
  });
})();
