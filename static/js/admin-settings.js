// Settings page: show the length of a working day while the sessions are typed.
(function () {
  "use strict";
  var output = document.getElementById("hours-per-day");
  var form = document.getElementById("settings-form");
  if (!output || !form) { return; }
  function minutes(text) {
    var match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec((text || "").trim());
    return match ? Number(match[1]) * 60 + Number(match[2]) : null;
  }
  function update() {
    var starts = form.querySelectorAll("input[data-session=start]");
    var ends = form.querySelectorAll("input[data-session=end]");
    var total = 0;
    for (var i = 0; i < starts.length; i++) {
      var opens = minutes(starts[i].value), closes = minutes(ends[i].value);
      if (opens !== null && closes !== null && closes > opens) { total += closes - opens; }
    }
    var text = Math.floor(total / 60) + " " + output.getAttribute("data-hour");
    if (total % 60) { text += " " + (total % 60) + " " + output.getAttribute("data-minute"); }
    output.textContent = text;
  }
  form.addEventListener("input", function (event) {
    if (event.target.hasAttribute("data-session")) { update(); }
  });
})();
