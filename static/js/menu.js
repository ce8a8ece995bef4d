// The site menu folds on a phone: open by default in the HTML (so it works without
// JavaScript), folded here when the screen is narrow, always open when it is wide.
(function () {
  "use strict";
  const menu = document.querySelector("details.site-menu");
  if (!menu) return;
  const wide = window.matchMedia("(min-width: 48rem)");
  const fit = () => { menu.open = wide.matches; };
  fit();
  wide.addEventListener("change", fit);
})();
