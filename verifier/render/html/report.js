/* verifier report: links flash their span, highlights say who said what, pairs light both versions. No network. */
(function () {
  "use strict";
  var detail = document.getElementById("detail");
  var timer = null;

  function show(text) {
    if (!detail || !text) return;
    detail.textContent = text;
    detail.hidden = false;
    clearTimeout(timer);
    timer = setTimeout(function () { detail.hidden = true; }, 6000);
  }

  function clear(cls) {
    document.querySelectorAll("." + cls).forEach(function (el) { el.classList.remove(cls); });
  }

  function scrollPane(el) {
    var pane = el.closest(".scroll");
    if (pane) pane.scrollTop = Math.max(0, el.offsetTop - pane.clientHeight / 3);
  }

  function flashSpan(id) {
    var target = document.getElementById(id);
    if (!target) return false;
    clear("flash");
    document.querySelectorAll('[data-span="' + id + '"]').forEach(function (el) {
      void el.offsetWidth;  // restart the animation
      el.classList.add("flash");
    });
    scrollPane(target);
    target.scrollIntoView({ block: "center" });
    target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
    try { if (history.replaceState) history.replaceState(null, "", "#" + id); } catch (e) { /* a sandboxed frame */ }
    show(target.getAttribute("data-info"));
    return true;
  }

  function activatePair(id, scrollList) {
    clear("active");
    var item = document.getElementById(id);
    if (item) {
      item.classList.add("active");
      if (scrollList) item.scrollIntoView({ block: "nearest" });
    }
    var firsts = {};
    document.querySelectorAll('mark[data-pair~="' + id + '"]').forEach(function (el) {
      el.classList.add("active");
      var pane = el.closest(".scroll");
      if (pane && !firsts[pane.id]) { firsts[pane.id] = true; scrollPane(el); }
    });
  }

  document.addEventListener("click", function (ev) {
    var link = ev.target.closest('a[href^="#span-"]');
    if (link) {
      if (flashSpan(link.getAttribute("href").slice(1))) ev.preventDefault();
      return;
    }
    var mark = ev.target.closest("mark[data-pair]");
    if (mark) {
      activatePair(mark.getAttribute("data-pair").split(" ")[0], true);
      show(mark.getAttribute("data-info"));
      return;
    }
    var pair = ev.target.closest("[data-pair-id]");
    if (pair) { activatePair(pair.getAttribute("data-pair-id"), false); return; }
    var hl = ev.target.closest("mark.hl-quote, mark.hl-attribution") || ev.target.closest("mark[data-info]");
    if (hl) show(hl.getAttribute("data-info"));
  });

  document.addEventListener("keydown", function (ev) {
    var pair = ev.target.closest && ev.target.closest("[data-pair-id]");
    if (pair && (ev.key === "Enter" || ev.key === " ")) {
      ev.preventDefault();
      activatePair(pair.getAttribute("data-pair-id"), false);
    }
  });

  if (location.hash.indexOf("#span-") === 0) flashSpan(location.hash.slice(1));
})();
