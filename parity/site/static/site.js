// The teaching site's few lines of script: no framework, no network, no numerics.
// Without it the page shows everything: R beside Python, every explorer run.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Copy exactly the code of a block.
  function copy(text, button) {
    const done = () => { button.textContent = "Copied"; setTimeout(() => { button.textContent = "Copy"; }, 1500); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, () => fallback(text) && done());
    } else if (fallback(text)) {
      done();
    }
  }
  function fallback(text) {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  }
  document.querySelectorAll("main .code").forEach(function (block) {
    const pre = block.querySelector("pre");
    if (!pre) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "copy";
    button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy this code");
    button.addEventListener("click", () => copy(pre.textContent.replace(/\n$/, ""), button));
    const label = block.parentElement.querySelector(":scope > .label");
    if (label) {  // in the column's label line, never over the code
      label.appendChild(button);
    } else {
      block.classList.add("copyable");
      block.insertBefore(button, pre);
    }
  });

  // Each chunk: R and Python side by side, R only, or Python only (its printouts too).
  const views = [["both", "R and Python"], ["r", "R only"], ["py", "Python only"]];
  document.querySelectorAll("main .chunk").forEach(function (chunk) {
    if (!chunk.querySelector(".twin-row.pair")) return;
    const bar = document.createElement("div");
    bar.className = "tabs";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "Show");
    views.forEach(function ([view, label]) {
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.view = view;
      button.textContent = label;
      button.setAttribute("aria-pressed", String(view === "both"));
      button.addEventListener("click", function () {
        chunk.classList.remove("only-r", "only-py");
        if (view !== "both") chunk.classList.add("only-" + view);
        bar.querySelectorAll("button").forEach(b => b.setAttribute("aria-pressed", String(b === button)));
      });
      bar.appendChild(button);
    });
    chunk.insertBefore(bar, chunk.querySelector(".twin-row.pair"));
  });

  // The explorer: the build drew every run; the controls choose which one shows.
  const explorer = document.getElementById("explorer");
  if (explorer) {
    const pick = function () {
      const step = explorer.querySelector("input[name=step]:checked").value;
      const seed = explorer.querySelector("select[name=seed]").value;
      explorer.querySelectorAll("figure.run").forEach(function (figure) {
        figure.hidden = !(figure.dataset.step === step && figure.dataset.seed === seed);
      });
    };
    explorer.querySelectorAll("input, select").forEach(el => el.addEventListener("change", pick));
    pick();
  }
})();
