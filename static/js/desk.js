// The scan box: the barcode gun types the code and Enter. Keep the cursor there on desk pages
// unless the clerk is typing somewhere else, and put it back after an unknown code.
(function () {
  var box = document.getElementById("scan-code");
  if (!box) return;
  if (document.querySelector(".flash-error") && !document.querySelector("form:not(.scanbox) .has-error")) {
    box.focus();
    box.select();
  }
})();
