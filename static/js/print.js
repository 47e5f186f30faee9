// Printable pages (receipt, folder label): the "In" button opens the browser's print dialog.
// Loaded as a file because the pages' Content-Security-Policy forbids inline scripts.
for (const button of document.querySelectorAll("[data-print]")) {
  button.addEventListener("click", () => window.print());
}

// The receipt is one A5 sheet whatever it holds: when long names, a long address or many documents
// would push the signatures onto a second sheet, the text gets smaller (never the codes, which must
// keep their printed size to scan) until it fits the page's printable height.
function fitSheet(sheet) {
  const probe = document.createElement("div");
  probe.style.cssText = "position:absolute;visibility:hidden;height:100mm";
  document.body.appendChild(probe);
  const mm = probe.getBoundingClientRect().height / 100;
  probe.remove();
  const room = parseFloat(sheet.dataset.fit) * mm;  // the printable height of the page, in mm
  const last = sheet.lastElementChild;
  const used = () => last.getBoundingClientRect().bottom - sheet.getBoundingClientRect().top
    - parseFloat(getComputedStyle(sheet).paddingTop);
  let size = parseFloat(getComputedStyle(sheet).fontSize);
  sheet.classList.remove("squeezed");
  while (used() > room && size > 8) {  // 8 px ≈ 6 pt: still legible on paper
    if (!sheet.classList.contains("squeezed")) { sheet.classList.add("squeezed"); continue; }
    size -= 0.25;
    sheet.style.fontSize = size + "px";
  }
}
for (const sheet of document.querySelectorAll("[data-fit]")) fitSheet(sheet);

// One step from intake to paper: print at once, then go on (the folder label, or a fresh intake form).
const after = document.body.dataset.afterPrint;
if (after) {
  window.addEventListener("load", () => {
    window.print();  // modal in Chromium: returns when the clerk has printed or cancelled
    window.location.assign(after);
  });
}
