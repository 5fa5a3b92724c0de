// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("change", function (event) {
  const el = event.target;
  if (el.matches("select[data-autosubmit]") && el.form) {
    el.form.submit();
  }
});
