// Progressive enhancement: the pages work without this file.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const input of document.querySelectorAll("input[type=range][data-show]")) {
    const out = document.getElementById(input.dataset.show);
    if (!out) continue;
    const show = () => { out.textContent = input.value; };
    input.addEventListener("input", show);
    show();
  }
});
