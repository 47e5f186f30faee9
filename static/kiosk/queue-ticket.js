/* Print the ticket once it is on screen; a printer out of paper or switched off leaves the number shown. */
window.addEventListener("load", function () {
  try { window.print(); } catch (error) { /* the screen still shows the number */ }
});
