// Intake page: find the procedure by typing (accents optional), show its documents as a checklist,
// its fee and the appointment the citizen would get if the dossier is received now.
(function () {
  var search = document.getElementById("procedure-search");
  var results = document.getElementById("procedure-results");
  var codeInput = document.getElementById("procedure_code");
  var info = document.getElementById("procedure-info");
  var rows = document.getElementById("document-rows");
  var rowTemplate = document.getElementById("document-row");
  var base = search.dataset.searchUrl;  // /api/v1/procedures
  var kept = JSON.parse(document.getElementById("receive-form").dataset.checked || "[]");
  var timer = null, active = -1;
  var form = document.getElementById("receive-form");

  // The gun may type an ID card's QR into whichever field has the cursor (the procedure search has it
  // first): on its Enter, put back what the field held and let the server fill the applicant from it.
  var CARD = /^\s*\d{12}[^\d-]/, before = new WeakMap();
  form.addEventListener("focusin", function (e) { before.set(e.target, e.target.value); });
  form.addEventListener("keydown", function (e) {
    var field = e.target;
    if (e.key !== "Enter" || field.tagName !== "INPUT") return;
    var typed = before.get(field) || "";
    var held = field.value.indexOf(typed) === 0 ? typed : "";
    var scanned = field.value.slice(held.length);
    if (!CARD.test(scanned)) return;
    var card = document.getElementById("card-input");
    card.disabled = false;
    card.value = scanned;
    field.value = held;
    e.preventDefault();
    e.stopImmediatePropagation();
    form.submit();
  }, true);

  // Browser Back after saving shows this form again with what was typed, but the server sent a new
  // one-time token: put back the token of the form already saved, so saving again finds that dossier.
  var token = document.getElementById("intake_token");
  var navigation = performance.getEntriesByType("navigation")[0];
  var saved = sessionStorage.getItem("intake-token-saved");
  if (navigation && navigation.type === "back_forward" && saved) token.value = saved;
  form.addEventListener("submit", function () { sessionStorage.setItem("intake-token-saved", token.value); });

  function getJSON(url) {
    return fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); });
  }

  function showResults(items) {
    results.innerHTML = "";
    active = -1;
    items.forEach(function (p) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      li.dataset.code = p.code;
      li.textContent = p.name;
      var small = document.createElement("small");
      small.textContent = p.code + (p.field ? " · " + p.field : "");
      li.appendChild(small);
      li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(p.code); });
      results.appendChild(li);
    });
    if (!items.length && search.value.trim()) {
      var none = document.createElement("li");
      none.textContent = "Không tìm thấy thủ tục phù hợp.";
      results.appendChild(none);
    }
  }

  function choose(code) {
    codeInput.value = code;
    results.innerHTML = "";
    getJSON(base + "/" + encodeURIComponent(code)).then(render).catch(function () { info.hidden = true; });
  }

  function render(p) {
    search.value = p.name;
    document.getElementById("procedure-name").textContent = p.code + " · " + p.name;
    document.getElementById("procedure-deadline").textContent = p.deadline.label;
    document.getElementById("procedure-fee").textContent = p.fee || "Không";
    rows.innerHTML = "";
    p.documents.forEach(function (name, i) { addRow(name, i); });
    info.hidden = false;
    getJSON(base + "/" + encodeURIComponent(p.code) + "/appointment").then(function (a) {
      document.getElementById("procedure-appointment").textContent = formatMoment(a.due_at);
    });
    document.getElementById("applicant_name").focus();
  }

  function addRow(name, i) {
    var row = rowTemplate.content.cloneNode(true);
    var box = row.querySelector("input[type=checkbox]");
    box.value = i;
    var hidden = row.querySelector(".doc-name-input");
    hidden.name = "doc_name_" + i;
    hidden.value = name;
    row.querySelector(".doc-name").textContent = name;
    row.querySelector(".doc-kind").name = "doc_kind_" + i;
    row.querySelector(".doc-count").name = "doc_count_" + i;
    row.querySelector(".doc-file").name = "doc_file_" + i;
    kept.forEach(function (doc) {
      if (doc.name === name) {
        box.checked = true;
        row.querySelector(".doc-kind").value = doc.kind;
        row.querySelector(".doc-count").value = doc.count;
      }
    });
    rows.appendChild(row);
  }

  function formatMoment(iso) {
    // The server answers in Asia/Ho_Chi_Minh with its offset: show it as written there.
    var m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
    return m ? m[4] + ":" + m[5] + " ngày " + m[3] + "/" + m[2] + "/" + m[1] : iso;
  }

  function move(step) {
    var items = results.querySelectorAll("li[data-code]");
    if (!items.length) return;
    if (active >= 0) items[active].removeAttribute("aria-selected");
    active = (active + step + items.length) % items.length;
    items[active].setAttribute("aria-selected", "true");
  }

  search.addEventListener("input", function () {
    clearTimeout(timer);
    var q = search.value.trim();
    if (!q) { results.innerHTML = ""; return; }
    timer = setTimeout(function () {
      getJSON(base + "?q=" + encodeURIComponent(q)).then(function (data) { showResults(data.items); });
    }, 150);
  });
  search.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") { move(1); e.preventDefault(); }
    else if (e.key === "ArrowUp") { move(-1); e.preventDefault(); }
    else if (e.key === "Enter") {
      var items = results.querySelectorAll("li[data-code]");
      if (items.length) { choose(items[Math.max(active, 0)].dataset.code); }
      e.preventDefault();
    }
  });
  codeInput.addEventListener("change", function () { if (codeInput.value.trim()) choose(codeInput.value.trim()); });
  if (codeInput.value.trim()) choose(codeInput.value.trim());
  // On a slow LAN the clerk may type before this script has loaded: search for what is there already.
  else if (search.value.trim()) search.dispatchEvent(new Event("input"));
})();
