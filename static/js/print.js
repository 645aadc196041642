/* A print button where the script runs; the browser's own print works everywhere. */
(function () {
  "use strict";
  var button = document.getElementById("door-print");
  if (!button) return;
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
