// Select the whole preview link on click (was an inline onclick; the CSP forbids those).
document.addEventListener("click", function (event) {
  var input = event.target.closest("[data-select-on-click]");
  if (input) input.select();
});
