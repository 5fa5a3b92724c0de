// The incident form: a fieldset marked data-show-when="name" data-show-value="value" is shown only
// while that answer is chosen (the vendor group when "we are the vendor"; the My Number questions
// when My Number is among the items). Hidden fields keep their answers and are still sent.
// Without JavaScript every fieldset stays visible.
(function () {
  function chosen(form, name, value) {
    const inputs = form.querySelectorAll('[name="' + name + '"]');
    for (const input of inputs) {
      if (input.type === "checkbox" || input.type === "radio") {
        if (input.checked && input.value === value) return true;
      } else if (input.value === value) {
        return true;
      }
    }
    return false;
  }
  function update(form) {
    form.querySelectorAll("fieldset[data-show-when]").forEach(function (group) {
      const show = chosen(form, group.dataset.showWhen, group.dataset.showValue);
      // A group with an error is always shown, so the message is never hidden.
      group.hidden = !show && !group.querySelector(".errorlist");
    });
  }
  function setup() {
    document.querySelectorAll("fieldset[data-show-when]").forEach(function (group) {
      const form = group.form || group.closest("form");
      if (form && !form.dataset.disclosure) {
        form.dataset.disclosure = "1";
        form.addEventListener("change", function () { update(form); });
        update(form);
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
