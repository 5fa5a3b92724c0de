// The vendor portal: a refused or failed save is said next to its question (never lost silently),
// the 該当なし reason and conditional questions follow the answers, 「次の未回答へ」 jumps.
(function () {
  var NETWORK = "この変更は保存されていません：通信できませんでした。入力内容はこの画面に残っています。" +
    "接続を確認して、もう一度選び直すか入力し直してください。";
  var SERVER = "この変更は保存されていません：サーバーで問題が起きました。入力内容はこの画面に残っています。" +
    "しばらくしてから、もう一度選び直すか入力し直してください。";

  function say(form, text) {
    var status = form.querySelector(".status");
    if (!status) return;
    status.textContent = "";
    var span = document.createElement("span");
    span.className = "save-error";
    span.setAttribute("role", "alert");
    span.textContent = text;
    status.appendChild(span);
    var q = form.closest(".question");
    if (q) q.classList.add("unsaved");
  }

  function answered(q) {
    return q.getAttribute("data-answered") === "1";
  }

  function applyConditions() {
    document.querySelectorAll(".question[data-show-if]").forEach(function (q) {
      var source = document.getElementById("q-" + q.getAttribute("data-show-if"));
      var wanted = q.getAttribute("data-show-value");
      var checked = source ? source.querySelector("input[name=value]:checked") : null;
      q.hidden = !(checked && checked.value === wanted);
    });
  }

  document.addEventListener("htmx:beforeSwap", function (e) {
    var code = e.detail.xhr.status;
    if (code === 409 || code === 410) { // refused: the words come from the server, next to the field
      e.detail.shouldSwap = true;
      e.detail.isError = false;
      var q = e.detail.elt.closest(".question");
      if (q) q.classList.add("unsaved");
    } else if (code >= 500) {
      e.detail.shouldSwap = false;
      say(e.detail.elt, SERVER);
    }
  });
  document.addEventListener("htmx:sendError", function (e) { say(e.detail.elt, NETWORK); });
  document.addEventListener("htmx:timeout", function (e) { say(e.detail.elt, NETWORK); });
  document.addEventListener("htmx:afterSwap", function (e) {
    var q = e.detail.elt.closest ? e.detail.elt.closest(".question") : null;
    var saved = e.detail.elt.querySelector ? e.detail.elt.querySelector(".save-status") : null;
    if (q && saved) {
      q.classList.remove("unsaved", "missing");
      q.setAttribute("data-answered", saved.getAttribute("data-answered"));
    }
  });

  document.addEventListener("change", applyConditions);
  document.addEventListener("DOMContentLoaded", function () {
    applyConditions();
    var next = document.getElementById("next-unanswered");
    if (!next) return;
    next.addEventListener("click", function (e) {
      var all = Array.prototype.slice.call(document.querySelectorAll(".question:not([hidden])"));
      var here = window.scrollY + 10;
      var open = all.filter(function (q) { return !answered(q); });
      var target = open.filter(function (q) { return q.getBoundingClientRect().top + window.scrollY > here; })[0] || open[0];
      e.preventDefault();
      if (!target) { var s = document.getElementById("submit-button"); if (s) s.scrollIntoView(); return; }
      target.scrollIntoView({ block: "start" });
      var first = target.querySelector("input, textarea, select");
      if (first) first.focus({ preventScroll: true });
    });
  });
})();
