// Printable pages (receipt, folder label): the "In" button opens the browser's print dialog.
// Loaded as a file because the pages' Content-Security-Policy forbids inline scripts.
for (const button of document.querySelectorAll("[data-print]")) {
  button.addEventListener("click", () => window.print());
}
