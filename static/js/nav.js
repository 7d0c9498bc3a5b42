// On a phone the main menu is one row that scrolls sideways: bring the current section into view.
(function () {
  var current = document.querySelector(".main-nav > ul:first-child [aria-current='page']");
  if (!current) return;
  var row = current.closest("ul");
  if (row.scrollWidth <= row.clientWidth) return;
  var item = current.closest("li");
  row.scrollLeft = item.offsetLeft - (row.clientWidth - item.offsetWidth) / 2;
})();
