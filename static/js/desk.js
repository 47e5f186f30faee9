// The scan box: the barcode gun types the code and Enter. Keep the cursor there on desk pages
// unless the clerk is typing somewhere else, and put it back after an unknown code.
(function () {
  var box = document.getElementById("scan-code");
  if (!box) return;
  if (document.querySelector(".flash-error") && !document.querySelector("form:not(.scanbox) .has-error")) {
    box.focus();
    box.select();
  }
  // 12 digits and a separator: the QR of a citizen's ID card (domain.md §9), not a dossier code.
  var CARD = /^\s*\d{12}[^\d-]/;
  box.form.addEventListener("submit", function (event) {
    var text = box.value;
    if (!text.trim()) { event.preventDefault(); return; }  // an empty Enter does nothing
    if (!CARD.test(text)) return;
    // The card's details go to the intake form by POST, so they never appear in a URL or a server log.
    event.preventDefault();
    var intake = document.getElementById("receive-form");
    if (intake) {  // already on the intake form: keep what is filled in there
      var card = document.getElementById("card-input");
      card.disabled = false;
      card.value = text;
      box.value = "";
      intake.submit();
      return;
    }
    var token = document.querySelector("input[name=csrf_token]");
    var form = document.createElement("form");
    form.method = "post";
    form.action = box.form.dataset.intakeUrl;
    [["card", text], ["csrf_token", token ? token.value : ""]].forEach(function (pair) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = pair[0];
      input.value = pair[1];
      form.appendChild(input);
    });
    document.body.appendChild(form);
    box.value = "";
    form.submit();
  });
})();
