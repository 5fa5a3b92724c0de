// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("change", function (event) {
  const el = event.target;
  if (el.matches("select[data-autosubmit]") && el.form) {
    el.form.submit();
  }
});

// The grouped menu: one section open at a time, closed by a click elsewhere or Escape; on a phone
// the whole menu folds behind the menu button (without JavaScript it simply stays unfolded).
document.documentElement.classList.add("js");
document.addEventListener("click", function (event) {
  const toggle = event.target.closest("#menu-toggle");
  if (toggle) {
    const menu = document.getElementById("main-menu");
    const open = !menu.classList.contains("open");
    menu.classList.toggle("open", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    return;
  }
  document.querySelectorAll(".site-sections details.dropdown[open]").forEach(function (details) {
    if (!details.contains(event.target)) {
      details.removeAttribute("open");
    }
  });
});
document.addEventListener("keydown", function (event) {
  if (event.key === "Escape") {
    document.querySelectorAll(".site-sections details.dropdown[open]").forEach(function (details) {
      details.removeAttribute("open");
    });
  }
});
