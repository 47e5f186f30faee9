// Admin calendar: clicking a day of the year view fills the override form's date.
(function () {
  "use strict";
  var grid = document.getElementById("year-grid");
  var input = document.getElementById("day");
  var reason = document.getElementById("reason");
  if (!grid || !input) { return; }
  grid.addEventListener("click", function (event) {
    var cell = event.target.closest("td[data-day]");
    if (!cell) { return; }
    input.value = cell.getAttribute("data-day");
    (reason || input).focus();
  });
})();
